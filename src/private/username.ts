import { SessionNameMacro } from '../username';

/** The username prefix used when the user sets none; the agent vendor's guide uses the same. */
export const DEFAULT_USERNAME_PREFIX = 'eks-access-role';

/** The access entry's username template, for example `eks-access-role:{{SessionNameRaw}}`. */
export function usernameTemplate(prefix: string, macro: SessionNameMacro): string {
  return `${prefix}:{{${macro}}}`;
}

/**
 * The Kubernetes username EKS derives from a session name, applying the macro's rule exactly as EKS
 * (and aws-iam-authenticator) does: `{{SessionName}}` replaces `@` with `-`, `{{SessionNameRaw}}` keeps it.
 */
export function renderUsername(prefix: string, macro: SessionNameMacro, sessionName: string): string {
  const rendered = macro === SessionNameMacro.SESSION_NAME ? sessionName.replace(/@/g, '-') : sessionName;
  return `${prefix}:${rendered}`;
}
