import { KubernetesClusterRole } from './cluster-role';

/**
 * One RBAC rule of a role that the construct creates for a binding.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole
 */
export interface RbacRule {
  /**
   * The API groups the rule covers; `''` is the core group.
   *
   * @default [''] - the core API group (pods, services, config maps, ...)
   */
  readonly apiGroups?: string[];

  /** The resource types the rule covers, for example `pods` or `pods/log`. */
  readonly resources: string[];

  /** The verbs allowed, for example `get`, `list`, `watch`. */
  readonly verbs: string[];

  /**
   * Restricts the rule to objects with these names.
   *
   * @default - every object of the listed types
   */
  readonly resourceNames?: string[];
}

/**
 * What a subject (a session's Kubernetes user, or a Kubernetes group) may do in the cluster.
 *
 * Give `clusterRoles`, `rules`, or both. Without `namespaces` they are granted cluster-wide through
 * ClusterRoleBindings; with `namespaces`, through one RoleBinding per namespace.
 */
export interface PermissionOptions {
  /**
   * Existing ClusterRoles to bind, for example `KubernetesClusterRole.VIEW`.
   *
   * @default - none; give `rules` instead
   */
  readonly clusterRoles?: KubernetesClusterRole[];

  /**
   * Rules of a least-privilege role that the construct creates and binds: a ClusterRole when no `namespaces`
   * are given, otherwise a Role in each namespace.
   *
   * @default - no role is created; give `clusterRoles` instead
   */
  readonly rules?: RbacRule[];

  /**
   * Grants the permissions only in these namespaces (RoleBindings) instead of cluster-wide (ClusterRoleBindings).
   *
   * @default - cluster-wide
   * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
   */
  readonly namespaces?: string[];

  /**
   * Creates each of `namespaces` as a Namespace object, applied before the bindings in it.
   *
   * Leave this off for namespaces that something else owns: deleting the binding would delete the namespace.
   *
   * @default false - the namespaces must already exist
   */
  readonly createNamespaces?: boolean;
}

/**
 * Binds a session name to permissions in the cluster.
 *
 * The agent passes the session name as `RoleSessionName` when it assumes the role; EKS turns it into the
 * Kubernetes user `<usernamePrefix>:<session name>`, and the construct binds that user.
 */
export interface SessionBinding extends PermissionOptions {
  /**
   * The session name the agent passes (Hoop: `EKS_BINDING_USER_ROLE`), for example `developers`.
   *
   * 2 to 64 characters of letters, digits and `+=,.@_-`: the rule STS applies to `RoleSessionName`.
   *
   * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
   */
  readonly sessionName: string;
}

/**
 * Binds a Kubernetes group to permissions, and puts every session of the role in that group.
 *
 * The group is added to the access entry's `KubernetesGroups`, so it applies to every session name, declared or not.
 */
export interface GroupBinding extends PermissionOptions {
  /**
   * The Kubernetes group name; it must not start with `system:`.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
   */
  readonly groupName: string;
}
