import { Arn, ArnFormat, Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Agent } from '../agent';
import { SessionNameRestriction } from '../session-names';

export interface AgentsPrincipalProps {
  readonly agents: Agent[];
  readonly restriction: SessionNameRestriction;
  /** The declared session names, read when the template is rendered (bindings may be added after construction). */
  readonly declaredSessionNames: () => string[];
  readonly externalId?: string;
}

/**
 * All agents as one principal, so the trust policy holds a single statement: one statement per agent would repeat
 * the actions and conditions and eat into the 2,048-character trust policy quota.
 */
export class AgentsPrincipal extends iam.PrincipalBase {
  public readonly policyFragment: iam.PrincipalPolicyFragment;

  constructor(private readonly props: AgentsPrincipalProps) {
    super();
    this.policyFragment = new iam.PrincipalPolicyFragment({ AWS: props.agents.map(trustedPrincipal) });
  }

  public dedupeString(): string | undefined {
    return undefined;
  }

  public addToAssumeRolePolicy(document: iam.PolicyDocument): void {
    const { agents, restriction, externalId } = this.props;
    const stringEquals: Record<string, unknown> = {};
    const conditions: Record<string, Record<string, unknown>> = {};

    // Fail closed: only an explicit any() drops the pin, anything else that is not matching() pins the declared names.
    if (restriction.kind === 'matching') {
      conditions.StringLike = { 'sts:RoleSessionName': restriction.patterns };
    } else if (restriction.kind !== 'any') {
      stringEquals['sts:RoleSessionName'] = Lazy.list({ produce: () => this.props.declaredSessionNames() });
    }
    if (externalId !== undefined) {
      stringEquals['sts:ExternalId'] = externalId;
    }
    if (Object.keys(stringEquals).length > 0) {
      conditions.StringEquals = stringEquals;
    }
    const principalArn = agents.some((a) => a.options.trustAccountWithPrincipalArnCondition)
      // The principals include account roots: only the agents themselves may use them.
      ? { ArnEquals: { 'aws:PrincipalArn': agents.map((a) => a.principalArn) } }
      : {};

    document.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      principals: [this],
      conditions: { ...conditions, ...principalArn },
    }));

    if (agents.some((a) => a.options.sessionTags)) {
      // sts:TagSession is authorized on its own, and sts:RoleSessionName and sts:ExternalId are not in its request
      // context: the session-name pin stays on sts:AssumeRole, which every session needs.
      document.addStatements(new iam.PolicyStatement({ actions: ['sts:TagSession'], principals: [this], conditions: principalArn }));
    }
  }
}

/** The agent's ARN, or its account root when the agent may not exist yet at deploy time. */
function trustedPrincipal(agent: Agent): string {
  if (!agent.options.trustAccountWithPrincipalArnCondition) {
    return agent.principalArn;
  }
  const arn = Arn.split(agent.principalArn, ArnFormat.SLASH_RESOURCE_NAME);
  return `arn:${arn.partition}:iam::${arn.account}:root`;
}
