/**
 * Which session names the EKS role's trust policy lets agents pass, through the `sts:RoleSessionName` condition.
 *
 * Pinning session names means a compromised or misconfigured agent cannot pick a session that maps to a more
 * powerful Kubernetes user than the ones declared.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_rolesessionname
 */
export class SessionNameRestriction {
  /**
   * Only the session names of the construct's bindings (`StringEquals`), including those added later with
   * `addBinding()`. The default.
   */
  public static declared(): SessionNameRestriction {
    return new SessionNameRestriction('declared', []);
  }

  /**
   * Session names matching any of these patterns (`StringLike`: `*` matches any run of characters, `?` one), for
   * agents that pass free-form names such as e-mail addresses (`*@example.com`).
   *
   * @param patterns at least one pattern
   */
  public static matching(...patterns: string[]): SessionNameRestriction {
    return new SessionNameRestriction('matching', patterns);
  }

  /**
   * Any session name: no `sts:RoleSessionName` condition. Every session the agent invents becomes a Kubernetes user,
   * which only the RBAC bindings then limit.
   */
  public static any(): SessionNameRestriction {
    return new SessionNameRestriction('any', []);
  }

  /** `declared`, `matching` or `any`. */
  public readonly kind: string;

  /** The patterns of a `matching` restriction. */
  public readonly patterns: string[];

  private constructor(kind: string, patterns: string[]) {
    this.kind = kind;
    this.patterns = patterns;
  }
}
