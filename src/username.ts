/**
 * The EKS username macro that carries the STS session name into the Kubernetes username.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html
 */
export enum SessionNameMacro {
  /**
   * `{{SessionNameRaw}}`: the session name exactly as the agent passed it (`alice@example.com` stays as is).
   */
  SESSION_NAME_RAW = 'SessionNameRaw',

  /**
   * `{{SessionName}}`: the session name with every `@` replaced by `-` (`alice@example.com` becomes
   * `alice-example.com`).
   */
  SESSION_NAME = 'SessionName',
}
