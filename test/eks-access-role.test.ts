import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Agent, EksAccessRole, KubernetesClusterRole } from '../src';
import { ACCOUNT, AGENT_ARN, agentRole, importedClusterStack, manifestObjects, newApp, OTHER_ACCOUNT, withoutPruneLabel, buildAccess } from './util';

describe('EksAccessRole', () => {
  describe('the seed scenario: agent-runtime binds developers to cluster-admin', () => {
    // GIVEN
    const { stack, cluster } = importedClusterStack(newApp({ validation: true }));

    // WHEN
    const access = new EksAccessRole(stack, 'Access', {
      cluster,
      agents: [Agent.fromArn(AGENT_ARN)],
      bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.CLUSTER_ADMIN] }],
    });
    const template = Template.fromStack(stack);

    test('trusts exactly the agent role ARN with sts:AssumeRole', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: AGENT_ARN } }],
        },
      });
    });

    test('gives the role no permission policies of its own', () => {
      const roles = template.findResources('AWS::IAM::Role');
      expect(Object.values(roles)[0].Properties.Policies).toBeUndefined();
      expect(Object.values(roles)[0].Properties.ManagedPolicyArns).toBeUndefined();
      template.resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('creates a STANDARD access entry for the role with the SessionNameRaw username', () => {
      template.resourceCountIs('AWS::EKS::AccessEntry', 1);
      template.hasResourceProperties('AWS::EKS::AccessEntry', {
        ClusterName: 'demo-cluster',
        PrincipalArn: { 'Fn::GetAtt': [stack.getLogicalId(access.role.node.defaultChild as iam.CfnRole), 'Arn'] },
        Type: 'STANDARD',
        Username: 'eks-access-role:{{SessionNameRaw}}',
        KubernetesGroups: Match.absent(),
        AccessPolicies: Match.absent(),
      });
    });

    test('applies one ClusterRoleBinding of user eks-access-role:developers to cluster-admin', () => {
      expect(manifestObjects(template).map(withoutPruneLabel)).toEqual([{
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: {
          name: 'eks-access-role-developers-cluster-admin-5404232c',
          labels: { 'app.kubernetes.io/managed-by': 'cdk-eks-access-role' },
        },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'eks-access-role:developers' }],
      }]);
    });

    test('applies the manifest with the cluster kubectl role, in the construct\'s own stack', () => {
      template.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', {
        ClusterName: 'demo-cluster',
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/kubectl`,
        PruneLabel: Match.stringLikeRegexp('^aws\\.cdk\\.eks/prune-'),
      });
    });

    test('hands the agent owner the policy to attach, as an output and a warning', () => {
      template.hasOutput('*', {
        Value: {
          'Fn::Join': ['', [
            '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Resource":"',
            { 'Fn::GetAtt': [stack.getLogicalId(access.role.node.defaultChild as iam.CfnRole), 'Arn'] },
            '"}],"Version":"2012-10-17"}',
          ]],
        },
      });
      Annotations.fromStack(stack).hasWarning('/Stack/Access', Match.stringLikeRegexp(
        `no policy was attached to them: ${AGENT_ARN}\\. Attach the policy in the stack output "AgentPolicyDocument"`,
      ));
    });

    test('exposes the username of a session', () => {
      expect(access.usernameFor('developers')).toBe('eks-access-role:developers');
      expect(access.sessionNames).toEqual(['developers']);
    });
  });

  describe('logical ids and object names (a change replaces live resources)', () => {
    test('are pinned', () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();
      const agent = agentRole(stack);

      // WHEN
      new EksAccessRole(stack, 'Access', {
        cluster,
        agents: [Agent.fromRole(agent)],
        bindings: [
          { sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] },
          { sessionName: 'admins', clusterRoles: [KubernetesClusterRole.CLUSTER_ADMIN] },
        ],
      });
      const template = Template.fromStack(stack);

      // THEN
      const ids = (type: string) => Object.keys(template.findResources(type)).sort();
      expect(ids('AWS::IAM::Role')).toEqual(['AccessRoleE6825E38', 'AgentRoleF4A42D6B']);
      expect(ids('AWS::IAM::ManagedPolicy')).toEqual(['AccessAgentPolicy402E4D9D']);
      expect(ids('AWS::EKS::AccessEntry')).toEqual(['AccessAccessEntry53114739']);
      expect(ids('Custom::AWSCDK-EKS-KubernetesResource')).toEqual(['AccessRbac59FF20F80', 'AccessRbacDC70F4853']);
      expect(manifestObjects(template).map((o) => o.metadata.name).sort()).toEqual([
        'eks-access-role-admins-cluster-admin-3c2912e1',
        'eks-access-role-developers-view-44ef8a61',
      ]);
    });
  });

  describe('agents', () => {
    test('attaches a customer-managed policy whose only statement is sts:AssumeRole on the role to a same-account role', () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();
      const agent = agentRole(stack);

      // WHEN
      const { access } = buildAccess({ agents: [Agent.fromRole(agent)] }, { stack, cluster });

      // THEN
      const template = Template.fromStack(stack);
      const roleId = stack.getLogicalId(access.role.node.defaultChild as iam.CfnRole);
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: { 'Fn::GetAtt': [roleId, 'Arn'] } }],
        },
        Roles: [{ Ref: stack.getLogicalId(agent.node.defaultChild as iam.CfnRole) }],
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Principal: { AWS: { 'Fn::GetAtt': [stack.getLogicalId(agent.node.defaultChild as iam.CfnRole), 'Arn'] } } }],
        },
      });
      expect(Object.keys(template.toJSON().Outputs ?? {})).toEqual([]);
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('no policy was attached'));
    });

    test('attaches the policy to a role imported by ARN in the same account', () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();
      const agent = iam.Role.fromRoleArn(stack, 'Imported', `arn:aws:iam::${ACCOUNT}:role/ops/agent-runtime`);

      // WHEN
      buildAccess({ agents: [Agent.fromRole(agent)] }, { stack, cluster });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['agent-runtime'] });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ops/agent-runtime` } }] },
      });
    });

    test('emits the policy as an output and warns for a role of another account, attaching nothing', () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();
      const arn = `arn:aws:iam::${OTHER_ACCOUNT}:role/agent-runtime`;
      const agent = iam.Role.fromRoleArn(stack, 'Imported', arn);

      // WHEN
      buildAccess({ agents: [Agent.fromRole(agent)] }, { stack, cluster });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasOutput('*', { Description: Match.stringLikeRegexp('must attach') });
      Annotations.fromStack(stack).hasWarning('/Stack/Access', Match.stringLikeRegexp(arn));
    });

    test('trusts several agents in one statement', () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();
      const other = `arn:aws:iam::${OTHER_ACCOUNT}:role/agent`;

      // WHEN
      buildAccess({ agents: [Agent.fromArn(AGENT_ARN), Agent.fromArn(other)] }, { stack, cluster });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Principal: { AWS: [AGENT_ARN, other] } }] },
      });
    });
  });

  describe('role options', () => {
    test('passes roleName, path and description to the role', () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();

      // WHEN
      const access = new EksAccessRole(stack, 'Access', {
        cluster,
        agents: [Agent.fromArn(AGENT_ARN)],
        bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] }],
        roleName: 'eks-agent',
        path: '/gateways/',
        description: 'Hoop agent access',
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'eks-agent', Path: '/gateways/', Description: 'Hoop agent access',
      });
      expect(access.role.roleName).toBeDefined();
    });

    test('uses the username prefix in the template, the subjects and the object names', () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();

      // WHEN
      const access = new EksAccessRole(stack, 'Access', {
        cluster,
        agents: [Agent.fromArn(AGENT_ARN)],
        usernamePrefix: 'hoop',
        bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] }],
      });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EKS::AccessEntry', { Username: 'hoop:{{SessionNameRaw}}' });
      const [binding] = manifestObjects(template);
      expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'hoop:developers' }]);
      expect(binding.metadata.name).toMatch(/^hoop-developers-view-[0-9a-f]{8}$/);
      expect(access.usernameFor('admins')).toBe('hoop:admins');
    });
  });

  describe('clusters', () => {
    test('applies the manifests through the kubectl provider of an imported cluster', () => {
      // GIVEN
      const { stack } = importedClusterStack();
      const kubectlProvider = eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Provider', {
        functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:kubectl`,
        kubectlRoleArn: `arn:aws:iam::${ACCOUNT}:role/kubectl`,
        handlerRole: iam.Role.fromRoleArn(stack, 'HandlerRole', `arn:aws:iam::${ACCOUNT}:role/kubectl-handler`),
      });
      const cluster = eks.Cluster.fromClusterAttributes(stack, 'WithProvider', { clusterName: 'other', kubectlProvider });

      // WHEN
      buildAccess({ agents: [Agent.fromArn(AGENT_ARN)] }, { stack, cluster });

      // THEN
      Template.fromStack(stack).hasResourceProperties('Custom::AWSCDK-EKS-KubernetesResource', {
        ServiceToken: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:kubectl`,
        ClusterName: 'other',
      });
    });
  });
});

describe('immutable agent roles', () => {
  test('get no policy attached: the policy becomes an output with a warning', () => {
    // GIVEN
    const { stack, cluster } = importedClusterStack();
    const arn = `arn:aws:iam::${ACCOUNT}:role/locked-agent`;
    const agent = iam.Role.fromRoleArn(stack, 'Locked', arn, { mutable: false });

    // WHEN
    new EksAccessRole(stack, 'Access', { cluster, agents: [Agent.fromRole(agent)], bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW] }] });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.hasOutput('*', { Description: Match.stringLikeRegexp('must attach') });
    Annotations.fromStack(stack).hasWarning('/Stack/Access', Match.stringLikeRegexp(arn));
  });
});
