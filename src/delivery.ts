/**
 * How the RBAC manifests reach the cluster.
 */
export enum ManifestDelivery {
  /**
   * Applied with kubectl by `KubernetesManifest` custom resources in the construct's stack, pruned when removed.
   */
  KUBECTL = 'kubectl',

  /**
   * Written as one YAML file per construct into the cloud assembly (and `yamlOutputDirectory` if set), for Argo CD,
   * Flux or `kubectl apply -f`. CloudFormation never runs kubectl.
   */
  YAML = 'yaml',

  /** Both: applied with kubectl and written as YAML. */
  KUBECTL_AND_YAML = 'kubectl-and-yaml',
}
