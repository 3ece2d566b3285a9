import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Agent, EksAccessRole, KubernetesClusterRole } from '../src';
import { ACCOUNT, AGENT_ARN, manifestObjects, newApp, REGION } from './util';

// The only tests that create real clusters: each synth copies the kubectl layer into the temp outdir.
describe('EksAccessRole with a new aws-eks Cluster', () => {
  test('keeps the access entry and manifests in its own stack, applied through the cluster\'s kubectl provider', () => {
    // GIVEN
    const app = newApp();
    const clusterStack = new Stack(app, 'ClusterStack', { env: { account: ACCOUNT, region: REGION } });
    const cluster = new eks.Cluster(clusterStack, 'Cluster', {
      version: eks.KubernetesVersion.V1_32,
      kubectlLayer: new KubectlV36Layer(clusterStack, 'Kubectl'),
      authenticationMode: eks.AuthenticationMode.API_AND_CONFIG_MAP,
      defaultCapacity: 0,
    });
    const accessStack = new Stack(app, 'AccessStack', { env: { account: ACCOUNT, region: REGION } });

    // WHEN
    new EksAccessRole(accessStack, 'Access', {
      cluster,
      agents: [Agent.fromArn(AGENT_ARN)],
      bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] }],
    });

    // THEN
    const access = Template.fromStack(accessStack);
    access.resourceCountIs('AWS::EKS::AccessEntry', 1);
    access.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: { 'Fn::ImportValue': Match.stringLikeRegexp('^ClusterStack:ExportsOutputRefCluster') } });
    expect(manifestObjects(access).map((o) => o.subjects[0].name)).toEqual(['eks-access-role:developers']);
    const clusterTemplate = Template.fromStack(clusterStack);
    clusterTemplate.resourceCountIs('AWS::EKS::AccessEntry', 0);
    clusterTemplate.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
  });
});
