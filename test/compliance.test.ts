import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IMPORTED_CLUSTER, SCENARIOS } from './helpers/scenarios';
import {
  assertNoFindings, awsCdkLibEksSubtrees, cloudFormationFindings, describeFinding, nagFindings, newCheckedApp, partitionFindings, synthFindings,
} from './helpers/validation-report';

// cdk-nag (AwsSolutions, HIPAA Security, NIST 800-53 rev 5, PCI DSS 3.2.1) and aws-cdk-lib's CloudFormation validation,
// both run as validation plugins at synth, exactly as in a user's app. Every finding in the report counts, warnings and
// acknowledged ones included. Findings on aws-cdk-lib's EKS machinery (clusters, kubectl providers, kubectl layers) are
// scoped out by path, and only those.
describe('compliance of EksAccessRole', () => {
  describe.each(SCENARIOS)('$name', (scenario) => {
    // GIVEN
    const app = newCheckedApp();
    const { access } = scenario.build(app);

    // WHEN
    const findings = synthFindings(app);
    const scopedOut = awsCdkLibEksSubtrees(app);

    test('raises no cdk-nag finding on the construct\'s own resources or anywhere not scoped out', () => {
      expect(() => assertNoFindings(nagFindings(findings), access.node.path, scopedOut)).not.toThrow();
    });

    test('scopes out only aws-cdk-lib constructs outside the construct', () => {
      const outOfScope = assertNoFindings(nagFindings(findings), access.node.path, scopedOut);
      expect(outOfScope.filter((f) => !f.fqn.startsWith('aws-cdk-lib.')).map(describeFinding)).toEqual([]);
      expect(scopedOut.filter((p) => p.startsWith(`${access.node.path}/`))).toEqual([]);
    });

    test('passes aws-cdk-lib\'s CloudFormation validation with no finding at all', () => {
      expect(cloudFormationFindings(findings).map(describeFinding)).toEqual([]);
    });
  });

  test('the example app needs no scoping: no finding anywhere', () => {
    // GIVEN
    const app = newCheckedApp();
    SCENARIOS[0].build(app);

    // WHEN
    const findings = synthFindings(app);

    // THEN
    expect(awsCdkLibEksSubtrees(app)).toEqual([]);
    expect(findings.map(describeFinding)).toEqual([]);
  });

  describe('catches a deliberate defect', () => {
    test('fails on a wildcard action in the construct\'s agent policy, in all four packs', () => {
      // GIVEN
      const app = newCheckedApp();
      const { access } = IMPORTED_CLUSTER.build(app);
      const policy = access.node.findChild('AgentPolicy') as iam.ManagedPolicy;

      // WHEN
      policy.addStatements(new iam.PolicyStatement({ actions: ['sts:*'], resources: [access.role.roleArn] }));
      const findings = nagFindings(synthFindings(app));

      // THEN
      expect(() => assertNoFindings(findings, access.node.path, awsCdkLibEksSubtrees(app)))
        .toThrow(/on the construct: AwsSolutions-IAM5\[Action::sts:\*\] \(error\) at Stack\/Access\/AgentPolicy\/Resource/);
      expect(partitionFindings(findings, access.node.path, []).own.map((f) => `${f.rule} at ${f.path}`)).toEqual([
        'AwsSolutions-IAM5[Action::sts:*] at Stack/Access/AgentPolicy/Resource',
        'HIPAA.Security-IAMPolicyNoStatementsWithFullAccess at Stack/Access/AgentPolicy/Resource',
        'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess at Stack/Access/AgentPolicy/Resource',
        'PCI.DSS.321-IAMPolicyNoStatementsWithFullAccess at Stack/Access/AgentPolicy/Resource',
      ]);
    });

    test('fails on an acknowledgement: the packs must pass without any', () => {
      // GIVEN
      const app = newCheckedApp();
      const { access } = IMPORTED_CLUSTER.build(app);
      const policy = access.node.findChild('AgentPolicy') as iam.ManagedPolicy;
      policy.addStatements(new iam.PolicyStatement({ actions: ['sts:*'], resources: [access.role.roleArn] }));

      // WHEN
      Validations.of(policy).acknowledge({ id: 'AwsSolutions-IAM5[Action::sts:*]', reason: 'hides the wildcard' });
      const findings = nagFindings(synthFindings(app));

      // THEN
      expect(() => assertNoFindings(findings, access.node.path, awsCdkLibEksSubtrees(app)))
        .toThrow(/on the construct: AwsSolutions-IAM5\[Action::sts:\*\] \(error, acknowledged\) at Stack\/Access\/AgentPolicy: acknowledged: hides the wildcard/);
    });

    test('fails on a misspelt CloudFormation property of the construct\'s access entry', () => {
      // GIVEN
      const app = newCheckedApp();
      const { access } = IMPORTED_CLUSTER.build(app);

      // WHEN
      access.accessEntry.addPropertyOverride('KubernetesGroup', ['gateway-viewers']);
      const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const findings = synthFindings(app);
      const printed = consoleError.mock.calls.map((args) => args.join(' '));
      consoleError.mockRestore();

      // THEN aws-cdk-lib only prints it as a warning, and synth succeeds: the report is what the check reads
      expect(printed).toEqual([expect.stringMatching(/^\[Warning\] Template validation found issues in your templates \(reported as warnings\)/)]);
      expect(cloudFormationFindings(findings).map((f) => `${f.rule} at ${f.path}: ${f.description}`)).toEqual([
        'F3002 at Stack/Access/AccessEntry: KubernetesGroup: Additional properties are not allowed (\'KubernetesGroup\' was unexpected. Did you mean \'KubernetesGroups\'?)',
      ]);
    });
  });
});
