import { IConstruct } from 'constructs';

/**
 * Thrown for props that cannot produce a working setup. Every message has one form:
 *
 *   <prop>: <value> is invalid. <rule>. Fix: <fix>. See <url>
 *
 * so users can grep for the prop they wrote and find the rule's source.
 */
export class EksAccessRoleError extends Error {
  public override readonly name = 'EksAccessRoleError';
}

/** What went wrong, in the words the message is built from. */
export interface Violation {
  /** The prop as the user wrote it, for example `bindings[1].sessionName`. */
  readonly prop: string;
  /** The value received; rendered with JSON quotes so empty strings and spaces show. */
  readonly value: unknown;
  /** The rule that the value breaks, one sentence without the final period. */
  readonly rule: string;
  /** What the user should do instead, one sentence without the final period. */
  readonly fix: string;
  /** The page that states the rule. */
  readonly see?: string;
}

/** Builds the message for a violation; `scope` adds the construct path so the user knows which construct failed. */
export function violationMessage(v: Violation, scope?: IConstruct): string {
  const where = scope ? `${scope.node.path}: ` : '';
  const see = v.see ? ` See ${v.see}` : '';
  return `${where}${v.prop}: ${render(v.value)} is invalid. ${v.rule}. Fix: ${v.fix}.${see}`;
}

/** Throws an `EksAccessRoleError` for the violation. */
export function fail(v: Violation, scope?: IConstruct): never {
  throw new EksAccessRoleError(violationMessage(v, scope));
}

function render(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (value === undefined) {
    return 'undefined';
  }
  return JSON.stringify(value) ?? String(value);
}
