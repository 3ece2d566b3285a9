import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Agent, EksAccessRole, KubernetesClusterRole, SessionNameRestriction } from '../src';
import { ResolvedTemplate, simulateAssumeRole } from './helpers/iam-simulate';
import { ACCOUNT, AGENT_ARN, agentRole, importedClusterStack, newApp, OTHER_ACCOUNT, buildAccess as build } from './util';

const VIEW = [KubernetesClusterRole.VIEW];
const OTHER_AGENT = `arn:aws:iam::${OTHER_ACCOUNT}:role/hoop-agent`;

/** The resolved trust policy of the construct's role, and a function deciding an AssumeRole call against it. */
function trustOf(stack: Stack, access: EksAccessRole) {
  const resolved = ResolvedTemplate.fromStack(stack);
  const roleId = stack.getLogicalId(access.role.node.defaultChild as iam.CfnRole);
  const roleArn = resolved.roleArn(roleId);
  const trustPolicy = resolved.trustPolicy(roleId);
  return {
    resolved,
    trustPolicy,
    assume: (caller: string, sessionName: string, extra: { callerPolicies?: any[]; action?: string } = {}) =>
      simulateAssumeRole({ roleArn, trustPolicy, caller, sessionName, ...extra }),
  };
}

describe('trust', () => {
  describe('session names pinned to the declared bindings (the default)', () => {
    const { stack, access } = build({});
    access.addBinding({ sessionName: 'admins', clusterRoles: [KubernetesClusterRole.CLUSTER_ADMIN] });
    const { trustPolicy, assume } = trustOf(stack, access);

    test('renders one statement naming the agent, pinned with StringEquals sts:RoleSessionName', () => {
      expect(trustPolicy.Statement).toEqual([{
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: AGENT_ARN },
        Condition: { StringEquals: { 'sts:RoleSessionName': ['developers', 'admins'] } },
      }]);
    });

    test('allows the agent with a declared session name', async () => {
      await expect(assume(AGENT_ARN, 'developers')).resolves.toBe('Allowed');
      await expect(assume(AGENT_ARN, 'admins')).resolves.toBe('Allowed');
    });

    test('denies the agent with an undeclared session name', async () => {
      await expect(assume(AGENT_ARN, 'cluster-admins')).resolves.toBe('ImplicitlyDenied');
    });

    test('denies an unrelated principal of the same account', async () => {
      await expect(assume(`arn:aws:iam::${ACCOUNT}:role/someone-else`, 'developers')).resolves.toBe('ImplicitlyDenied');
    });
  });

  test('allows free-form names that match a pattern with StringLike, and no others', async () => {
    // GIVEN
    const { stack, access } = build({
      sessionNames: SessionNameRestriction.matching('*@example.com'),
      bindings: [{ sessionName: 'alice@example.com', clusterRoles: VIEW }],
    });

    // WHEN
    const { trustPolicy, assume } = trustOf(stack, access);

    // THEN
    expect(trustPolicy.Statement[0].Condition).toEqual({ StringLike: { 'sts:RoleSessionName': ['*@example.com'] } });
    await expect(assume(AGENT_ARN, 'carol@example.com')).resolves.toBe('Allowed');
    await expect(assume(AGENT_ARN, 'mallory@evil.example')).resolves.toBe('ImplicitlyDenied');
  });

  test('allows any session name when pinning is turned off', async () => {
    // GIVEN
    const { stack, access } = build({ sessionNames: SessionNameRestriction.any() });

    // WHEN
    const { trustPolicy, assume } = trustOf(stack, access);

    // THEN
    expect(trustPolicy.Statement[0].Condition).toBeUndefined();
    await expect(assume(AGENT_ARN, 'anything')).resolves.toBe('Allowed');
  });

  test('fails for matching() without patterns', () => {
    expect(() => build({ sessionNames: SessionNameRestriction.matching() })).toThrow(
      'Stack/Access: sessionNames: [] is invalid. SessionNameRestriction.matching() needs at least one pattern of session-name characters, "*" and "?".',
    );
  });

  describe('agents of other accounts', () => {
    const { stack, access } = build({ agents: [Agent.fromArn(AGENT_ARN), Agent.fromArn(OTHER_AGENT)] });
    const { resolved, trustPolicy, assume } = trustOf(stack, access);

    test('are named in the same statement', () => {
      expect(trustPolicy.Statement).toHaveLength(1);
      expect(trustPolicy.Statement[0].Principal).toEqual({ AWS: [AGENT_ARN, OTHER_AGENT] });
    });

    test('are denied until their owner attaches the emitted policy, then allowed', async () => {
      const emitted = resolved.outputJson('AccessAgentPolicyDocument');
      await expect(assume(OTHER_AGENT, 'developers')).resolves.toBe('ImplicitlyDenied');
      await expect(assume(OTHER_AGENT, 'developers', { callerPolicies: [{ name: 'emitted', policy: emitted }] })).resolves.toBe('Allowed');
      await expect(assume(OTHER_AGENT, 'intruders', { callerPolicies: [{ name: 'emitted', policy: emitted }] })).resolves.toBe('ImplicitlyDenied');
    });
  });

  test('allows a same-account agent role with the policy the stack attaches', async () => {
    // GIVEN
    const { stack, cluster } = importedClusterStack();
    const agent = agentRole(stack);
    const { access } = build({ agents: [Agent.fromRole(agent)] }, { stack, cluster });

    // WHEN
    const { resolved, assume } = trustOf(stack, access);
    const agentArn = resolved.roleArn(stack.getLogicalId(agent.node.defaultChild as iam.CfnRole));
    const callerPolicies = resolved.policiesAttachedToRole(resolved.roleName(stack.getLogicalId(agent.node.defaultChild as iam.CfnRole)));

    // THEN
    expect(callerPolicies).toHaveLength(1);
    await expect(assume(agentArn, 'developers', { callerPolicies })).resolves.toBe('Allowed');
  });

  describe('an agent that may not exist yet', () => {
    const agentArn = `arn:aws:iam::${OTHER_ACCOUNT}:role/later/agent`;
    const { stack, access } = build({ agents: [Agent.fromArn(agentArn, { trustAccountWithPrincipalArnCondition: true })] });
    const { resolved, trustPolicy, assume } = trustOf(stack, access);
    const callerPolicies = [{ name: 'emitted', policy: resolved.outputJson('AccessAgentPolicyDocument') }];

    test('is trusted through its account root and an aws:PrincipalArn condition', () => {
      expect(trustPolicy.Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` });
      expect(trustPolicy.Statement[0].Condition.ArnEquals).toEqual({ 'aws:PrincipalArn': [agentArn] });
    });

    test('lets only that role of the account in', async () => {
      await expect(assume(agentArn, 'developers', { callerPolicies })).resolves.toBe('Allowed');
      await expect(assume(`arn:aws:iam::${OTHER_ACCOUNT}:role/other`, 'developers', { callerPolicies })).resolves.toBe('ImplicitlyDenied');
    });
  });

  test('allows sts:TagSession for an EKS Pod Identity agent', async () => {
    // GIVEN
    const { stack, access } = build({ agents: [Agent.fromArn(AGENT_ARN, { sessionTags: true })] });

    // WHEN
    const { trustPolicy, assume } = trustOf(stack, access);

    // THEN
    expect(trustPolicy.Statement.map((st) => [st.Action, st.Condition])).toEqual([
      ['sts:AssumeRole', { StringEquals: { 'sts:RoleSessionName': ['developers'] } }],
      ['sts:TagSession', undefined],
    ]);
    await expect(assume(AGENT_ARN, 'developers', { action: 'sts:TagSession' })).resolves.toBe('Allowed');
    await expect(assume(AGENT_ARN, 'developers')).resolves.toBe('Allowed');
    await expect(assume(AGENT_ARN, 'undeclared')).resolves.toBe('ImplicitlyDenied');
  });

  test('renders externalId, maxSessionDuration, permissions boundary and path', () => {
    // GIVEN
    const { stack, cluster } = importedClusterStack();
    const boundary = iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Boundary', `arn:aws:iam::${ACCOUNT}:policy/boundary`);

    // WHEN
    build({ externalId: 'hoop-42', maxSessionDuration: Duration.hours(2), permissionsBoundary: boundary, path: '/gateways/' }, { stack, cluster });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 7200,
      PermissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
      Path: '/gateways/',
      AssumeRolePolicyDocument: {
        Statement: [{ Condition: { StringEquals: { 'sts:RoleSessionName': ['developers'], 'sts:ExternalId': 'hoop-42' } } }],
      },
    });
  });

  test('keeps agent role paths in the trust policy', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/gateways/hoop/agent`;
    const { stack } = build({ agents: [Agent.fromArn(arn)] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [{ Principal: { AWS: arn } }] } });
  });

  describe('trust policy size', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ sessionName: `person-${i}@example.com`, clusterRoles: VIEW }));

    test('fails past 2,048 characters, saying how to fix it', () => {
      const { stack } = build({ bindings: many });
      expect(() => Template.fromStack(stack)).toThrow(
        /sessionNames: "\d+ characters" is invalid\. The trust policy would be \d+ characters without white space, over the 2048 IAM accepts\. Fix: pin session names with SessionNameRestriction\.matching\("prefix-\*"\)/,
      );
    });

    test('passes with a pattern instead of the names', () => {
      const { stack } = build({ bindings: many, sessionNames: SessionNameRestriction.matching('person-*@example.com') });
      expect(() => Template.fromStack(stack)).not.toThrow();
    });
  });
});

describe('an existing role', () => {
  const existing = `arn:aws:iam::${ACCOUNT}:role/teams/eks-gateway`;

  test('creates only the access entry and the bindings, and warns about the role\'s trust', () => {
    // WHEN
    const { stack } = build({ agents: undefined, existingRoleArn: existing });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.hasResourceProperties('AWS::EKS::AccessEntry', { PrincipalArn: existing });
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 1);
    Annotations.fromStack(stack).hasWarning('/Stack/Access', Match.stringLikeRegexp('existingRoleArn is used as is: its trust policy must allow the agents'));
  });

  test('fails for an STS session ARN, suggesting the role', () => {
    expect(() => build({ existingRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/eks-gateway/hoop` })).toThrow(
      `existingRoleArn: "arn:aws:sts::${ACCOUNT}:assumed-role/eks-gateway/hoop" is invalid. This is an STS session ARN, and EKS access entries take the IAM role itself. ` +
      `Fix: use "arn:aws:iam::${ACCOUNT}:role/eks-gateway" (insert the role's path if it has one).`,
    );
  });

  test('fails for a service-linked role', () => {
    expect(() => build({ existingRoleArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS` })).toThrow(
      'is invalid. EKS access entries do not accept service-linked roles.',
    );
  });

  test('fails when two constructs grant it to the same cluster, naming both', () => {
    const { stack, cluster } = importedClusterStack();
    new EksAccessRole(stack, 'First', { cluster, existingRoleArn: existing, bindings: [{ sessionName: 'developers', clusterRoles: VIEW }] });
    expect(() => new EksAccessRole(stack, 'Second', {
      cluster, existingRoleArn: existing, usernamePrefix: 'other', bindings: [{ sessionName: 'developers', clusterRoles: VIEW }],
    })).toThrow(
      'Stack/Second: cluster: "demo-cluster" is invalid. Stack/First already grants the same role access to this cluster, and EKS allows one access entry ' +
      'per principal per cluster. Fix: keep one of Stack/First and Stack/Second, and move the other\'s bindings into it.',
    );
  });
});

describe('agent settings', () => {
  test('are stack outputs when asked', () => {
    // WHEN
    const { stack } = build({ agentSettingsOutputs: true, bindings: [{ sessionName: 'developers', clusterRoles: VIEW }, { sessionName: 'admins', clusterRoles: VIEW }] });

    // THEN
    const template = Template.fromStack(stack);
    const outputs = Object.entries<any>(template.toJSON().Outputs);
    const output = (prefix: string) => outputs.find(([key]) => key.startsWith(prefix))?.[1];
    expect(output('AccessEksRoleArn')).toEqual({ Description: 'EKS_ROLE_ARN: the role the agent assumes', Value: { 'Fn::GetAtt': [expect.stringMatching(/^AccessRole/), 'Arn'] } });
    expect(output('AccessEksCluster')).toEqual({ Description: 'EKS_CLUSTER: the cluster name', Value: 'demo-cluster' });
    expect(output('AccessEksAwsRegion')).toEqual({ Description: 'EKS_AWS_REGION: the cluster region', Value: 'us-east-1' });
    template.hasOutput('*', { Description: 'EKS_BINDING_USER_ROLE=developers becomes Kubernetes user eks-access-role:developers', Value: 'developers' });
    template.hasOutput('*', { Description: 'EKS_BINDING_USER_ROLE=admins becomes Kubernetes user eks-access-role:admins', Value: 'admins' });
  });

  test('are not outputs by default', () => {
    const { stack } = build({});
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs).filter((key) => key.startsWith('AccessEks'))).toEqual([]);
  });
});

describe('access report', () => {
  test('names access policies and groups, which apply to every session', () => {
    // GIVEN
    const app = newApp();
    build({
      groupBindings: [{ groupName: 'viewers', clusterRoles: VIEW }],
      accessPolicies: [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSEditPolicy', { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces: ['dev-*'] })],
    }, importedClusterStack(app));

    // WHEN
    const json = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'Stack.Access.access.json'), 'utf8'));

    // THEN
    expect(json.accessPolicies).toEqual([{ policy: 'AmazonEKSEditPolicy', scope: 'namespace', namespaces: ['dev-*'] }]);
    expect(json.groups).toEqual([{ group: 'viewers', may: ['ClusterRole view cluster-wide'] }]);
  });

  test('is written into the cloud assembly as Markdown with a Mermaid diagram and as JSON', () => {
    // GIVEN
    const app = newApp();
    build({
      bindings: [
        { sessionName: 'developers', clusterRoles: VIEW },
        { sessionName: 'support', namespaces: ['prod'], rules: [{ resources: ['pods'], verbs: ['get'] }] },
      ],
    }, importedClusterStack(app));

    // WHEN
    const assembly = app.synth();

    // THEN
    const json = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Stack.Access.access.json'), 'utf8'));
    expect(json.sessions).toEqual([
      { sessionName: 'developers', kubernetesUser: 'eks-access-role:developers', may: ['ClusterRole view cluster-wide'] },
      { sessionName: 'support', kubernetesUser: 'eks-access-role:support', may: ['Role of rules [get pods] in namespaces prod'] },
    ]);
    expect(json.agents).toEqual([{ arn: AGENT_ARN, assumeRolePolicy: 'to attach from the stack output' }]);
    expect(json.sessionNameRestriction).toBe('declared');
    const md = fs.readFileSync(path.join(assembly.directory, 'Stack.Access.access.md'), 'utf8');
    expect(md).toContain('```mermaid\nflowchart LR\n');
    expect(md).toContain(`  agent0["${AGENT_ARN}"] -->|sts:AssumeRole| role["EKS role"]`);
    expect(md).toContain('  role -->|session developers| user0["eks-access-role:developers"]');
    expect(md).toContain('| `developers` | `eks-access-role:developers` | ClusterRole view cluster-wide |');
  });
});

describe('agent settings at scale', () => {
  test('fails for session outputs past 150 sessions, pointing to the access report', () => {
    const bindings = Array.from({ length: 151 }, (_, i) => ({ sessionName: `user-${i}`, clusterRoles: VIEW }));
    const { stack } = build({ bindings, agentSettingsOutputs: true, sessionNames: SessionNameRestriction.matching('user-*') });
    expect(() => Template.fromStack(stack)).toThrow(
      'agentSettingsOutputs: true is invalid. One output per session would take 151 of the 200 outputs CloudFormation allows in a stack ' +
      '(this construct emits them for at most 150 sessions). Fix: turn agentSettingsOutputs off and read each session\'s Kubernetes user ' +
      'from the access report (<stack>.<path>.access.json).',
    );
  });
});

describe('session names outside the pattern', () => {
  test('fail synth: the bound session could never be assumed', () => {
    const { stack } = build({
      sessionNames: SessionNameRestriction.matching('team-*', '?@example.com'),
      bindings: [
        { sessionName: 'team-a', clusterRoles: VIEW }, { sessionName: 'a@example.com', clusterRoles: VIEW }, { sessionName: 'developers', clusterRoles: VIEW },
      ],
    });
    expect(() => Template.fromStack(stack)).toThrow(
      'sessionNames: "developers" is invalid. The trust policy accepts only session names matching team-*, ?@example.com, so this bound session ' +
      'could never be assumed. Fix: widen the pattern, add one that matches, or remove the binding.',
    );
  });
});
