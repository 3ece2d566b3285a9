/** Pages that state the rules this library checks; error messages and docs point to them. */
export const DOCS = {
  assumeRole: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
  customUsername: 'https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html',
  creatingAccessEntries: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  authenticationMode: 'https://docs.aws.amazon.com/eks/latest/userguide/setting-up-access-entries.html',
  accessPolicies: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html',
  iamArns: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns',
  iamQuotas: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  k8sNames: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  rbac: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
};
