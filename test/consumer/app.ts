// A user's CDK app, compiled and run by scripts/consumer-test.js in a temp dir where cdk-eks-access-role is installed
// from the packed tarball, next to the app's own aws-cdk-lib, constructs, cdk8s and cdk8s-plus-27.
// It is not part of this repository's build: tsconfig.dev.json and eslint leave test/consumer/ out.
import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kplus from 'cdk8s-plus-27';
import { Agent, EksAccessRole, KubernetesClusterRole } from 'cdk-eks-access-role';

// CDK_OUTDIR, set by the runner, decides where the cloud assembly goes.
const app = new App();
const stack = new Stack(app, 'ConsumerStack', { env: { account: '111122223333', region: 'us-east-1' } });
// The cluster's kubectl provider imported by ARN, as in the example app: no handler asset to bundle, a fast synth.
const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'KubectlProvider', {
  functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:consumer-cluster-kubectl',
  kubectlRoleArn: 'arn:aws:iam::111122223333:role/consumer-cluster-kubectl',
  handlerRole: iam.Role.fromRoleArn(stack, 'KubectlHandlerRole', 'arn:aws:iam::111122223333:role/consumer-cluster-kubectl-handler'),
});
const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'consumer-cluster', kubectlProvider });
const agent = new iam.Role(stack, 'AgentRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });

const access = new EksAccessRole(stack, 'Access', {
  cluster,
  agents: [Agent.fromRole(agent)],
  bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] }],
});

// An object the user adds to the construct's chart with the app's own cdk8s-plus-27: it only reaches the manifest
// when the library and the app share one copy of cdk8s.
new kplus.ConfigMap(access.chart, 'GatewaySettings', {
  metadata: { name: 'gateway-settings', namespace: 'default' },
  data: { EKS_BINDING_USER_ROLE: 'developers' },
});

app.synth();
