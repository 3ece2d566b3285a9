/**
 * A Kubernetes ClusterRole that already exists in the cluster, referenced by name.
 *
 * The four user-facing roles every cluster ships with are constants; any other role is named with `fromName`.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
 */
export class KubernetesClusterRole {
  /** `cluster-admin`: full control over every resource in the cluster. */
  public static readonly CLUSTER_ADMIN = new KubernetesClusterRole('cluster-admin');

  /** `admin`: read/write within a namespace, including Roles and RoleBindings; meant for RoleBindings. */
  public static readonly ADMIN = new KubernetesClusterRole('admin');

  /** `edit`: read/write to most objects in a namespace, without Roles or RoleBindings. */
  public static readonly EDIT = new KubernetesClusterRole('edit');

  /** `view`: read-only access to most objects, without Secrets. */
  public static readonly VIEW = new KubernetesClusterRole('view');

  /**
   * Any other ClusterRole, by its exact name in the cluster.
   *
   * @param name the ClusterRole's `metadata.name`
   */
  public static fromName(name: string): KubernetesClusterRole {
    return new KubernetesClusterRole(name);
  }

  /** The ClusterRole's `metadata.name`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }
}
