import * as iam from 'aws-cdk-lib/aws-iam';
import { fail } from './private/errors';
import { checkAgentArn } from './private/validation';

/**
 * How the EKS role trusts one agent.
 */
export interface AgentOptions {
  /**
   * Trusts the agent's account root with an `aws:PrincipalArn` condition naming the agent, instead of naming the
   * agent role as the principal.
   *
   * IAM rejects a trust policy whose principal is a role that does not exist yet ("Invalid principal in policy"); this
   * keeps the same effective trust without that ordering, so the agent role may be created after this stack.
   *
   * @default false - the trust policy names the agent ARN itself
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
   */
  readonly trustAccountWithPrincipalArnCondition?: boolean;

  /**
   * Also allows `sts:TagSession`, which an agent running with EKS Pod Identity needs: its credentials carry transitive
   * session tags into the role chain.
   *
   * @default false
   * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html
   */
  readonly sessionTags?: boolean;
}

/**
 * The identity an access gateway agent runs as ("Role X"): it assumes the EKS role with a session name.
 *
 * Use `fromRole` when the role is an `iam.IRole` of this app or account, so the construct can attach the
 * `sts:AssumeRole` permission to it. Use `fromArn` for any role or user that this app must not or cannot change;
 * the policy its owner must attach is then emitted as a stack output.
 */
export class Agent {
  /**
   * An agent role known to CDK.
   *
   * If the role is in the stack's account (or its account cannot be told apart), the construct attaches a
   * customer-managed policy allowing `sts:AssumeRole` on the EKS role. A role of another account gets the policy
   * as a stack output instead: aws-cdk-lib would silently drop it. So does a role imported with `mutable: false`,
   * which the construct leaves untouched.
   *
   * @param role the agent's role
   * @param options how the EKS role trusts the agent
   */
  public static fromRole(role: iam.IRole, options: AgentOptions = {}): Agent {
    if (typeof role?.roleArn !== 'string') {
      fail({ prop: 'Agent.fromRole(role)', value: role, rule: 'An iam.IRole is required here', fix: 'pass the role the agent runs as, or use Agent.fromArn(arn)' });
    }
    return new Agent(role.roleArn, role, options);
  }

  /**
   * An agent role or user known only by ARN; nothing is attached to it.
   *
   * The trust policy names the ARN, and a stack output carries the policy its owner must attach.
   *
   * @param arn an IAM role ARN (`arn:aws:iam::111122223333:role/agent`, paths kept) or IAM user ARN
   * @param options how the EKS role trusts the agent
   */
  public static fromArn(arn: string, options: AgentOptions = {}): Agent {
    checkAgentArn(arn);
    return new Agent(arn, undefined, options);
  }

  /** The ARN that the EKS role's trust policy names. */
  public readonly principalArn: string;

  /** The role, when it was given as an `iam.IRole`. */
  public readonly role?: iam.IRole;

  /** How the EKS role trusts this agent. */
  public readonly options: AgentOptions;

  private constructor(principalArn: string, role: iam.IRole | undefined, options: AgentOptions) {
    this.principalArn = principalArn;
    this.role = role;
    this.options = options;
  }
}
