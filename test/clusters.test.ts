import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { Agent, ClusterAccess, EksAccessRole, EksAccessRoleProps, KubernetesClusterRole, ManifestDelivery } from '../src';
import { ACCOUNT, AGENT_ARN, importedClusterStack, manifestObjects, newApp, REGION } from './util';

const VIEW = [KubernetesClusterRole.VIEW];
const BASE = { agents: [Agent.fromArn(AGENT_ARN)], bindings: [{ sessionName: 'developers', clusterRoles: VIEW }] };

function stackIn(app = newApp(), id = 'Stack'): Stack {
  return new Stack(app, id, { env: { account: ACCOUNT, region: REGION } });
}

/** The GitOps file of the construct at Stack/Access, from a fresh synth. */
function yamlOf(props: Partial<EksAccessRoleProps>): { yaml: string; template: Template; stack: Stack } {
  const app = newApp();
  const stack = stackIn(app);
  new EksAccessRole(stack, 'Access', { ...BASE, clusterName: 'tf-cluster', clusterAuthenticationMode: eks.AuthenticationMode.API, ...props });
  const assembly = app.synth();
  return { yaml: fs.readFileSync(path.join(assembly.directory, 'Stack.Access.k8s.yaml'), 'utf8'), template: Template.fromStack(stack), stack };
}

describe('cluster forms', () => {
  test('an aws-eks-v2 Cluster of this app applies manifests through its kubectl provider and needs no mode', () => {
    // GIVEN
    const stack = stackIn();
    const cluster = new eksv2.Cluster(stack, 'Cluster', {
      version: eksv2.KubernetesVersion.V1_32,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(stack, 'Kubectl') },
    });

    // WHEN
    new EksAccessRole(stack, 'Access', { ...BASE, clusterV2: cluster });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: { Ref: Match.stringLikeRegexp('^Cluster') }, Type: 'STANDARD' });
    expect(manifestObjects(template).map((o) => o.subjects[0].name)).toEqual(['eks-access-role:developers']);
    Annotations.fromStack(stack).hasNoWarning('/Stack/Access', Match.stringLikeRegexp('authentication mode is unknown'));
  });

  test('an imported aws-eks-v2 cluster applies manifests through the given kubectl provider', () => {
    // GIVEN
    const stack = stackIn();
    const kubectlProvider = eksv2.KubectlProvider.fromKubectlProviderAttributes(stack, 'Provider', {
      serviceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:kubectl`,
      role: iam.Role.fromRoleArn(stack, 'KubectlRole', `arn:aws:iam::${ACCOUNT}:role/kubectl`),
    });
    const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'v2-cluster', kubectlProvider });

    // WHEN
    new EksAccessRole(stack, 'Access', { ...BASE, clusterV2: cluster, clusterAuthenticationMode: eks.AuthenticationMode.API });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'v2-cluster' });
    template.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', { ServiceToken: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:kubectl` });
  });

  test('fails for an imported aws-eks-v2 cluster without kubectl provider, offering YAML delivery', () => {
    const stack = stackIn();
    const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'v2-cluster' });
    expect(() => new EksAccessRole(stack, 'Access', { ...BASE, clusterV2: cluster })).toThrow(
      'Stack/Access: delivery: "kubectl" is invalid. The manifests cannot be applied with kubectl: the aws-eks-v2 cluster has no kubectl provider ' +
      '(create it with kubectlProviderOptions, or import it with kubectlProvider). Fix: give the cluster a kubectl role or provider, or set ' +
      'delivery: ManifestDelivery.YAML and apply the YAML file written to the cloud assembly with your GitOps tool.',
    );
  });

  test('fails for an aws-eks cluster imported without kubectl role or provider, offering YAML delivery', () => {
    const stack = stackIn();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'bare' });
    expect(() => new EksAccessRole(stack, 'Access', { ...BASE, cluster })).toThrow(
      'delivery: "kubectl" is invalid. The manifests cannot be applied with kubectl: the aws-eks cluster was imported without kubectlRoleArn or kubectlProvider.',
    );
  });

  test('accepts that aws-eks cluster with YAML delivery', () => {
    const stack = stackIn();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'bare' });
    new EksAccessRole(stack, 'Access', { ...BASE, cluster, delivery: ManifestDelivery.YAML, clusterAuthenticationMode: eks.AuthenticationMode.API });
    Template.fromStack(stack).resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
  });

  test('a cluster known only by name gets the access entry and YAML only, and a warning about its mode', () => {
    // GIVEN
    const stack = stackIn();

    // WHEN
    new EksAccessRole(stack, 'Access', { ...BASE, clusterName: 'tf-cluster' });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'tf-cluster', Username: 'eks-access-role:{{SessionNameRaw}}' });
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
    template.resourceCountIs('AWS::CloudFormation::Stack', 0);
    Annotations.fromStack(stack).hasWarning('/Stack/Access', Match.stringLikeRegexp('authentication mode is unknown'));
  });

  test('fails when no cluster is given, or several', () => {
    const stack = stackIn();
    expect(() => new EksAccessRole(stack, 'None', BASE)).toThrow(
      'Stack/None: cluster: undefined is invalid. Exactly one of cluster (aws-eks), clusterV2 (aws-eks-v2) and clusterName (a cluster known only by name) ' +
      'must be given. Fix: pass the cluster in the one form you have it in; to grant several clusters, call addCluster() for each further one.',
    );
    const { cluster } = importedClusterStack(newApp());
    expect(() => new EksAccessRole(stack, 'Two', { ...BASE, cluster, clusterName: 'x' })).toThrow('Stack/Two: cluster, clusterName: "several clusters" is invalid.');
  });
});

describe('delivery', () => {
  test('writes the objects as YAML into the cloud assembly, without CloudFormation prune labels', () => {
    const { yaml, template } = yamlOf({ bindings: [{ sessionName: 'developers', clusterRoles: VIEW, namespaces: ['dev'], createNamespaces: true }] });
    expect(yaml).toBe([
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  labels:',
      '    app.kubernetes.io/managed-by: cdk-eks-access-role',
      '  name: dev',
      'spec: {}',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata:',
      '  labels:',
      '    app.kubernetes.io/managed-by: cdk-eks-access-role',
      '  name: eks-access-role-developers-view-44ef8a61',
      '  namespace: dev',
      'roleRef:',
      '  apiGroup: rbac.authorization.k8s.io',
      '  kind: ClusterRole',
      '  name: view',
      'subjects:',
      '  - apiGroup: rbac.authorization.k8s.io',
      '    kind: User',
      '    name: eks-access-role:developers',
      '',
    ].join('\n'));
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
  });

  test('writes byte-identical YAML across synths', () => {
    const props = { bindings: [{ sessionName: 'b-user', clusterRoles: VIEW }, { sessionName: 'a-user', rules: [{ resources: ['pods'], verbs: ['get'] }] }] };
    expect(yamlOf(props).yaml).toEqual(yamlOf(props).yaml);
  });

  test('also writes the YAML to a directory the user names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-'));
    try {
      const { yaml } = yamlOf({ yamlOutputDirectory: dir });
      expect(fs.readFileSync(path.join(dir, 'Stack.Access.k8s.yaml'), 'utf8')).toBe(yaml);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('applies with kubectl and writes YAML when asked for both', () => {
    const app = newApp();
    const { stack, cluster } = importedClusterStack(app);
    new EksAccessRole(stack, 'Access', { ...BASE, cluster, delivery: ManifestDelivery.KUBECTL_AND_YAML });
    const assembly = app.synth();
    expect(fs.existsSync(path.join(assembly.directory, 'Stack.Access.k8s.yaml'))).toBe(true);
    expect(manifestObjects(Template.fromStack(stack))).toHaveLength(1);
  });

  test('writes no YAML with kubectl delivery', () => {
    const app = newApp();
    const { stack, cluster } = importedClusterStack(app);
    new EksAccessRole(stack, 'Access', { ...BASE, cluster });
    expect(fs.existsSync(path.join(app.synth().directory, 'Stack.Access.k8s.yaml'))).toBe(false);
  });

  test('passes overwrite to the kubectl custom resource, to adopt bindings created by hand', () => {
    const { stack, cluster } = importedClusterStack();
    new EksAccessRole(stack, 'Access', { ...BASE, cluster, overwrite: true });
    Template.fromStack(stack).hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', { Overwrite: true });
  });

  test('fails for a token in an object written as YAML, naming where it is', () => {
    const app = newApp();
    const stack = stackIn(app);
    const access = new EksAccessRole(stack, 'Access', { ...BASE, clusterName: 'tf-cluster', clusterAuthenticationMode: eks.AuthenticationMode.API });
    new cdk8s.ApiObject(access.chart, 'Extra', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' }, data: { account: Lazy.string({ produce: () => stack.account }) },
    } as any);
    expect(() => app.synth()).toThrow(/chart object ConfigMap\/extra: ".data.account: \$\{Token\[TOKEN\.\d+\]\}" is invalid\. A YAML file for GitOps cannot hold a value/);
  });

  test('fails for yamlOutputDirectory with kubectl delivery', () => {
    const { stack, cluster } = importedClusterStack();
    expect(() => new EksAccessRole(stack, 'Access', { ...BASE, cluster, yamlOutputDirectory: 'gitops' })).toThrow(
      'yamlOutputDirectory: "gitops" is invalid. A YAML output directory only applies when the manifests are delivered as YAML.',
    );
  });
});

describe('one role, several clusters', () => {
  test('addCluster creates a second access entry with its own bindings, and the trust accepts both clusters\' sessions', () => {
    // GIVEN
    const { stack, cluster } = importedClusterStack();
    const access = new EksAccessRole(stack, 'Access', { ...BASE, cluster });

    // WHEN
    const prod = access.addCluster('Prod', {
      clusterName: 'prod', clusterAuthenticationMode: eks.AuthenticationMode.API, bindings: [{ sessionName: 'oncall', clusterRoles: VIEW }],
    });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::AccessEntry', 2);
    template.hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'prod', PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccessRole'), 'Arn'] } });
    expect(stack.resolve((prod.accessEntry as eks.CfnAccessEntry).logicalId)).toMatch(/^AccessProdAccessEntry/);
    expect(prod.sessionNames).toEqual(['oncall']);
    expect(access.sessionNames).toEqual(['developers', 'oncall']);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: { 'sts:RoleSessionName': ['developers', 'oncall'] } } }] },
    });
  });

  test('a ClusterAccess in another stack grants an existing EksAccessRole to a second cluster', () => {
    // GIVEN
    const app = newApp();
    const { stack, cluster } = importedClusterStack(app);
    const access = new EksAccessRole(stack, 'Access', { ...BASE, cluster });
    const other = stackIn(app, 'Other');

    // WHEN
    new ClusterAccess(other, 'Staging', {
      accessRole: access,
      clusterName: 'staging',
      clusterAuthenticationMode: eks.AuthenticationMode.API,
      bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.EDIT] }],
    });

    // THEN
    Template.fromStack(other).hasResourceProperties('AWS::EKS::AccessEntry', { ClusterName: 'staging', PrincipalArn: { 'Fn::ImportValue': Match.anyValue() } });
  });

  test('fails for the same role granted twice to one cluster, naming both', () => {
    const { stack, cluster } = importedClusterStack();
    const access = new EksAccessRole(stack, 'Access', { ...BASE, cluster });
    expect(() => access.addCluster('Again', { cluster, bindings: [{ sessionName: 'admins', clusterRoles: VIEW }] })).toThrow(
      'Stack/Access/Again: cluster: "demo-cluster" is invalid. Stack/Access already grants the same role access to this cluster, and EKS allows one ' +
      'access entry per principal per cluster. Fix: keep one of Stack/Access and Stack/Access/Again, and move the other\'s bindings into it.',
    );
  });
});
