// The supported ways to use the construct, built the same way for the compliance, schema and IAM tests.
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AgentAccessStack, CONTEXT_DEFAULTS } from '../../example/main';
import { Agent, EksAccessRole, KubernetesClusterRole, ManifestDelivery, SessionBinding } from '../../src';
import { ACCOUNT, AGENT_ARN, agentRole, importedClusterStack, OTHER_ACCOUNT, REGION } from '../util';

/** What a scenario built: the construct and the stack that holds it. */
export interface Built {
  readonly access: EksAccessRole;
  readonly stack: Stack;
}

/** One supported way to use the construct. */
export interface Scenario {
  readonly name: string;
  build(app: App): Built;
}

/**
 * Session bindings that make the construct emit every kind it can: ClusterRoleBindings, RoleBindings to a
 * ClusterRole, a ClusterRole and a Role made from rules, and Namespaces it creates.
 */
export const EVERY_KIND_OF_BINDING: SessionBinding[] = [
  { sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] },
  { sessionName: 'admins', clusterRoles: [KubernetesClusterRole.CLUSTER_ADMIN] },
  { sessionName: 'alice@example.com', clusterRoles: [KubernetesClusterRole.EDIT], namespaces: ['team-a', 'team-b'], createNamespaces: true },
  { sessionName: 'pod-readers', rules: [{ resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }] },
  {
    sessionName: 'deployers',
    namespaces: ['team-a'],
    createNamespaces: true,
    rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'], resourceNames: ['web'] }],
  },
];

/** The example app (example/main.ts) with its defaults: a cluster and kubectl provider imported by ARN, an agent by ARN. */
export const EXAMPLE_APP: Scenario = {
  name: 'the example app: cluster and kubectl provider imported, agent given by ARN',
  build: (app) => {
    const stack = new AgentAccessStack(app, 'AgentAccessExample', CONTEXT_DEFAULTS, {
      env: { account: CONTEXT_DEFAULTS.account, region: CONTEXT_DEFAULTS.region },
    });
    return { access: stack.access, stack };
  },
};

/** A cluster imported with a kubectl role, a same-account agent role (the policy is attached), every kind of binding. */
export const IMPORTED_CLUSTER: Scenario = {
  name: 'a cluster imported with a kubectl role, a same-account agent role, every kind of binding',
  build: (app) => {
    const { stack, cluster } = importedClusterStack(app);
    const access = new EksAccessRole(stack, 'Access', {
      cluster,
      agents: [Agent.fromRole(agentRole(stack))],
      bindings: EVERY_KIND_OF_BINDING,
      groupBindings: [{ groupName: 'gateway-viewers', clusterRoles: [KubernetesClusterRole.VIEW] }],
      accessPolicies: [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER })],
    });
    return { access, stack };
  },
};

/** A new aws-eks Cluster in its own stack; agents of another account, one as an imported role and one by ARN. */
export const NEW_CLUSTER: Scenario = {
  name: 'a new aws-eks Cluster in another stack, agents of another account',
  build: (app) => {
    const clusterStack = new Stack(app, 'ClusterStack', { env: { account: ACCOUNT, region: REGION } });
    const cluster = new eks.Cluster(clusterStack, 'Cluster', {
      version: eks.KubernetesVersion.V1_32,
      kubectlLayer: new KubectlV36Layer(clusterStack, 'Kubectl'),
      authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP,
      defaultCapacity: 0,
    });
    const stack = new Stack(app, 'AccessStack', { env: { account: ACCOUNT, region: REGION } });
    const access = new EksAccessRole(stack, 'Access', {
      cluster,
      agents: [
        Agent.fromRole(iam.Role.fromRoleArn(stack, 'OtherAccountAgent', `arn:aws:iam::${OTHER_ACCOUNT}:role/hoop-agent`)),
        Agent.fromArn(AGENT_ARN),
      ],
      bindings: [
        { sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] },
        { sessionName: 'admins', clusterRoles: [KubernetesClusterRole.CLUSTER_ADMIN] },
      ],
    });
    return { access, stack };
  },
};

/** A new aws-eks-v2 Cluster with a kubectl provider, in the construct's stack. */
export const NEW_CLUSTER_V2: Scenario = {
  name: 'a new aws-eks-v2 Cluster with a kubectl provider',
  build: (app) => {
    const stack = new Stack(app, 'V2Stack', { env: { account: ACCOUNT, region: REGION } });
    const cluster = new eksv2.Cluster(stack, 'Cluster', {
      version: eksv2.KubernetesVersion.V1_32,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(stack, 'Kubectl') },
    });
    const access = new EksAccessRole(stack, 'Access', {
      clusterV2: cluster,
      agents: [Agent.fromArn(AGENT_ARN)],
      bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] }],
    });
    return { access, stack };
  },
};

/** A cluster known only by name, every kind of binding delivered as a GitOps YAML file: no kubectl in CloudFormation. */
export const YAML_DELIVERY: Scenario = {
  name: 'a cluster known only by name, RBAC delivered as GitOps YAML',
  build: (app) => {
    const stack = new Stack(app, 'GitOpsStack', { env: { account: ACCOUNT, region: REGION } });
    const access = new EksAccessRole(stack, 'Access', {
      clusterName: 'tf-cluster',
      clusterAuthenticationMode: eks.AuthenticationMode.API,
      agents: [Agent.fromArn(AGENT_ARN)],
      bindings: EVERY_KIND_OF_BINDING,
      delivery: ManifestDelivery.YAML,
    });
    return { access, stack };
  },
};

/** Every supported mode. */
export const SCENARIOS: Scenario[] = [EXAMPLE_APP, IMPORTED_CLUSTER, NEW_CLUSTER, NEW_CLUSTER_V2, YAML_DELIVERY];
