import { SimulationIdentityPolicy } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Agent, EksAccessRole } from '../src';
import { ResolvedTemplate, simulateAssumeRole } from './helpers/iam-simulate';
import { ACCOUNT, AGENT_ARN, agentRole, importedClusterStack, OTHER_ACCOUNT, buildAccess } from './util';

// The trust policy and the agents' policies, resolved from the synthesized template and decided by
// @cloud-copilot/iam-simulate as IAM would decide the agent's sts:AssumeRole call.
describe('IAM simulation of EksAccessRole', () => {
  const ADMIN_POLICY: SimulationIdentityPolicy = {
    name: 'AdministratorAccess',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  };

  describe('with an agent role of the same account', () => {
    // GIVEN
    const { stack, cluster } = importedClusterStack();
    const agent = agentRole(stack);

    // WHEN
    const { access } = buildAccess({ agents: [Agent.fromRole(agent)] }, { stack, cluster });
    const template = ResolvedTemplate.fromStack(stack);
    const roleY = roleLogicalId(stack, access);
    const agentArn = template.roleArn(stack.getLogicalId(agent.node.defaultChild as iam.CfnRole));
    const agentPolicies = template.policiesAttachedToRole(template.roleName(stack.getLogicalId(agent.node.defaultChild as iam.CfnRole)));

    test('lets a session of the agent role assume the role with session name "developers"', async () => {
      await expect(simulateAssumeRole({
        roleArn: template.roleArn(roleY),
        trustPolicy: template.trustPolicy(roleY),
        caller: agentArn,
        callerPolicies: agentPolicies,
        sessionName: 'developers',
      })).resolves.toBe('Allowed');
    });

    test('denies an unrelated role of the same account, even one allowed every action', async () => {
      await expect(unrelatedAdminDecision(template, roleY, ACCOUNT)).resolves.toBe('ImplicitlyDenied');
    });

    test('attaches a policy that lets the agent assume no other role', async () => {
      // GIVEN a role of another account that trusts the agent
      const otherRoleArn = `arn:aws:iam::${OTHER_ACCOUNT}:role/unrelated`;

      // THEN the agent's policies do not allow the call its side must allow
      await expect(simulateAssumeRole({
        roleArn: otherRoleArn,
        trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: agentArn } }] },
        caller: agentArn,
        callerPolicies: agentPolicies,
        sessionName: 'developers',
      })).resolves.toBe('ImplicitlyDenied');
    });
  });

  describe('with agents given by ARN', () => {
    test('lets a same-account agent assume the role on the trust policy alone', async () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();

      // WHEN
      const { access } = buildAccess({ agents: [Agent.fromArn(AGENT_ARN)] }, { stack, cluster });

      // THEN
      const template = ResolvedTemplate.fromStack(stack);
      const roleY = roleLogicalId(stack, access);
      await expect(simulateAssumeRole({
        roleArn: template.roleArn(roleY), trustPolicy: template.trustPolicy(roleY), caller: AGENT_ARN, sessionName: 'developers',
      })).resolves.toBe('Allowed');
    });

    test('lets an agent whose role has a path assume the role', async () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();
      const arn = `arn:aws:iam::${ACCOUNT}:role/gateways/hoop-agent`;

      // WHEN
      const { access } = buildAccess({ agents: [Agent.fromArn(arn)] }, { stack, cluster });

      // THEN
      const template = ResolvedTemplate.fromStack(stack);
      const roleY = roleLogicalId(stack, access);
      await expect(simulateAssumeRole({
        roleArn: template.roleArn(roleY), trustPolicy: template.trustPolicy(roleY), caller: arn, sessionName: 'developers',
      })).resolves.toBe('Allowed');
    });

    describe('in another account', () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();
      const agentArn = `arn:aws:iam::${OTHER_ACCOUNT}:role/hoop-agent`;

      // WHEN
      const { access } = buildAccess({ agents: [Agent.fromArn(agentArn)] }, { stack, cluster });
      const template = ResolvedTemplate.fromStack(stack);
      const roleY = roleLogicalId(stack, access);
      const emitted: SimulationIdentityPolicy = { name: 'AgentPolicyDocument', policy: template.outputJson('AccessAgentPolicyDocument') };

      test('denies the agent while its owner has not attached the emitted policy', async () => {
        await expect(simulateAssumeRole({
          roleArn: template.roleArn(roleY), trustPolicy: template.trustPolicy(roleY), caller: agentArn, sessionName: 'developers',
        })).resolves.toBe('ImplicitlyDenied');
      });

      test('lets the agent assume the role once the emitted policy is attached: trust and identity policy together', async () => {
        await expect(simulateAssumeRole({
          roleArn: template.roleArn(roleY), trustPolicy: template.trustPolicy(roleY), caller: agentArn, callerPolicies: [emitted], sessionName: 'developers',
        })).resolves.toBe('Allowed');
      });

      test('denies another role of the agent\'s account that has the emitted policy too', async () => {
        await expect(simulateAssumeRole({
          roleArn: template.roleArn(roleY),
          trustPolicy: template.trustPolicy(roleY),
          caller: `arn:aws:iam::${OTHER_ACCOUNT}:role/not-the-agent`,
          callerPolicies: [emitted],
          sessionName: 'developers',
        })).resolves.toBe('ImplicitlyDenied');
      });

      test('denies an unrelated role of the role\'s own account, even one allowed every action', async () => {
        await expect(unrelatedAdminDecision(template, roleY, ACCOUNT)).resolves.toBe('ImplicitlyDenied');
      });
    });

    test('lets each of several agents assume the role', async () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();
      const other = `arn:aws:iam::${OTHER_ACCOUNT}:role/hoop-agent`;

      // WHEN
      const { access } = buildAccess({ agents: [Agent.fromArn(AGENT_ARN), Agent.fromArn(other)] }, { stack, cluster });

      // THEN
      const template = ResolvedTemplate.fromStack(stack);
      const roleY = roleLogicalId(stack, access);
      const emitted: SimulationIdentityPolicy = { name: 'AgentPolicyDocument', policy: template.outputJson('AccessAgentPolicyDocument') };
      const decisions = await Promise.all([AGENT_ARN, other].map((caller) => simulateAssumeRole({
        roleArn: template.roleArn(roleY), trustPolicy: template.trustPolicy(roleY), caller, callerPolicies: [emitted], sessionName: 'developers',
      })));
      expect(decisions).toEqual(['Allowed', 'Allowed']);
    });
  });

  describe('catches a deliberate defect', () => {
    test('lets an unrelated admin in when the trust policy names the account root', async () => {
      // GIVEN
      const { stack, cluster } = importedClusterStack();
      const { access } = buildAccess({ agents: [Agent.fromArn(AGENT_ARN)] }, { stack, cluster });

      // WHEN
      (access.role.node.defaultChild as iam.CfnRole).addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Principal.AWS', {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:root`]],
      });

      // THEN the check the trust tests make fails: the unrelated admin is no longer denied
      const template = ResolvedTemplate.fromStack(stack);
      const roleY = roleLogicalId(stack, access);
      expect(template.trustPolicy(roleY).Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
      await expect(unrelatedAdminDecision(template, roleY, ACCOUNT)).resolves.toBe('Allowed');
    });
  });

  describe('the simulation helper', () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/eks-access`;
    const pinned = {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: AGENT_ARN }, Condition: { StringEquals: { 'sts:RoleSessionName': ['developers'] } },
      }],
    };

    test.each([
      ['developers', 'Allowed'],
      ['admins', 'ImplicitlyDenied'],
      [undefined, 'ImplicitlyDenied'],
    ])('decides a trust policy that pins session names: session %p is %s', async (sessionName, decision) => {
      await expect(simulateAssumeRole({ roleArn, trustPolicy: pinned, caller: AGENT_ARN, sessionName })).resolves.toBe(decision);
    });

    test('fills aws:PrincipalArn with the caller\'s role ARN, for trust policies that name the account root', async () => {
      // GIVEN
      const trustPolicy = {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Condition: { ArnEquals: { 'aws:PrincipalArn': AGENT_ARN } },
        }],
      };
      const callerPolicies = [ADMIN_POLICY];

      // THEN
      await expect(simulateAssumeRole({ roleArn, trustPolicy, caller: AGENT_ARN, callerPolicies })).resolves.toBe('Allowed');
      await expect(simulateAssumeRole({ roleArn, trustPolicy, caller: `arn:aws:iam::${ACCOUNT}:role/other`, callerPolicies })).resolves.toBe('ImplicitlyDenied');
    });

    test('throws on an intrinsic it cannot resolve, never reading it as a denial', () => {
      const template = new ResolvedTemplate({ Resources: {} });
      expect(() => template.resolve({ 'Fn::ImportValue': 'Cluster:Arn' })).toThrow(
        'cannot resolve {"Fn::ImportValue":"Cluster:Arn"}: the IAM simulation helper does not know Fn::ImportValue',
      );
    });

    test('throws when the simulator rejects the input', async () => {
      const trustPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 'sts:AssumeRole', Principal: { AWS: AGENT_ARN } }] };
      await expect(simulateAssumeRole({ roleArn, trustPolicy, caller: AGENT_ARN })).rejects.toThrow(
        'iam-simulate rejected the simulation: {"resourcePolicyErrors":[{"path":"Statement[0].Effect",'
        + '"message":"Effect must be present and exactly \\"Allow\\" or \\"Deny\\""}],"message":"policy.errors"}',
      );
    });
  });

  /** What IAM decides when a role of `account` that may do anything calls sts:AssumeRole on the role. */
  function unrelatedAdminDecision(template: ResolvedTemplate, roleY: string, account: string) {
    return simulateAssumeRole({
      roleArn: template.roleArn(roleY),
      trustPolicy: template.trustPolicy(roleY),
      caller: `arn:aws:iam::${account}:role/unrelated-admin`,
      callerPolicies: [ADMIN_POLICY],
      sessionName: 'developers',
    });
  }
});

function roleLogicalId(stack: Stack, access: EksAccessRole): string {
  return stack.getLogicalId(access.role.node.defaultChild as iam.CfnRole);
}
