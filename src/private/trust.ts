import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * All agents as one principal, so the trust policy holds a single statement listing every agent ARN: one statement
 * per agent would repeat the action and conditions and eat into the 2,048-character trust policy quota.
 */
export class AgentsPrincipal extends iam.PrincipalBase {
  public readonly policyFragment: iam.PrincipalPolicyFragment;

  constructor(private readonly arns: string[]) {
    super();
    this.policyFragment = new iam.PrincipalPolicyFragment({ AWS: arns.length === 1 ? arns : [...arns] });
  }

  public dedupeString(): string | undefined {
    return `AgentsPrincipal:${JSON.stringify(this.arns)}`;
  }

  public addToAssumeRolePolicy(document: iam.PolicyDocument): void {
    document.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [this] }));
  }
}
