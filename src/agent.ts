import * as iam from 'aws-cdk-lib/aws-iam';
import { checkAgentArn } from './private/validation';

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
   * as a stack output instead: aws-cdk-lib would silently drop it. Roles imported with `mutable: false` should be
   * given with `fromArn`, which never attaches anything.
   *
   * @param role the agent's role
   */
  public static fromRole(role: iam.IRole): Agent {
    return new Agent(role.roleArn, role);
  }

  /**
   * An agent role or user known only by ARN; nothing is attached to it.
   *
   * The trust policy names the ARN, and a stack output carries the policy its owner must attach.
   *
   * @param arn an IAM role ARN (`arn:aws:iam::111122223333:role/agent`, paths kept) or IAM user ARN
   */
  public static fromArn(arn: string): Agent {
    checkAgentArn(arn);
    return new Agent(arn, undefined);
  }

  /** The ARN that the EKS role's trust policy names. */
  public readonly principalArn: string;

  /** The role, when it was given as an `iam.IRole`. */
  public readonly role?: iam.IRole;

  private constructor(principalArn: string, role: iam.IRole | undefined) {
    this.principalArn = principalArn;
    this.role = role;
  }
}
