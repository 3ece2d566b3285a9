import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NEW_CLUSTER } from './helpers/scenarios';
import { manifestObjects, newApp } from './util';

// Creates a real Cluster: each synth copies the kubectl layer into the temp outdir, so this file stays small.
describe('EksAccessRole with a new aws-eks Cluster in another stack', () => {
  test('keeps the access entry and manifests in its own stack, applied through the cluster\'s kubectl provider', () => {
    // GIVEN
    const app = newApp();

    // WHEN
    const { stack } = NEW_CLUSTER.build(app);

    // THEN
    const access = Template.fromStack(stack);
    access.resourceCountIs('AWS::EKS::AccessEntry', 1);
    access.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: { 'Fn::ImportValue': Match.stringLikeRegexp('^ClusterStack:ExportsOutputRefCluster') } });
    expect(manifestObjects(access).map((o) => o.subjects[0].name).sort()).toEqual(['eks-access-role:admins', 'eks-access-role:developers']);
    const clusterTemplate = Template.fromStack(Stack.of(app.node.findChild('ClusterStack')));
    clusterTemplate.resourceCountIs('AWS::EKS::AccessEntry', 0);
    clusterTemplate.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
  });
});
