import * as fs from 'fs';
import * as path from 'path';
import { Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { IConstruct } from 'constructs';
import { PermissionOptions } from '../binding';
import { SessionNameRestriction } from '../session-names';
import { accessPolicyName } from './validation';

export interface AccessReportInput {
  readonly cluster: string;
  readonly role: string;
  readonly usernameTemplate: string;
  readonly agents: Array<{ arn: string; policyAttached: boolean }>;
  readonly sessionNames: SessionNameRestriction;
  readonly sessions: Array<{ sessionName: string; kubernetesUser: string; permissions: PermissionOptions }>;
  readonly groups: Array<{ group: string; permissions: PermissionOptions }>;
  readonly accessPolicies: eks.IAccessPolicy[];
}

/** The file names of a construct's access report in the cloud assembly: `<stack>.<path>.access.{md,json}`. */
export function accessReportBaseName(scope: IConstruct): string {
  return `${Stack.of(scope).artifactId}.${scope.node.path.split('/').slice(1).join('.')}`;
}

/**
 * Writes the access a construct grants as Markdown (with a Mermaid diagram) and JSON, so a reviewer can read it
 * without reading templates. Deploy-time values (tokens) are shown as `(deploy-time)` plus their CloudFormation form.
 */
export function writeAccessReport(outdir: string, scope: IConstruct, input: AccessReportInput): void {
  const show = (v: string) => (Token.isUnresolved(v) ? `(deploy-time) ${JSON.stringify(Stack.of(scope).resolve(v))}` : v);
  const report = {
    construct: scope.node.path,
    cluster: show(input.cluster),
    role: show(input.role),
    usernameTemplate: input.usernameTemplate,
    sessionNameRestriction: input.sessionNames.kind === 'matching' ? `matching ${input.sessionNames.patterns.join(', ')}` : input.sessionNames.kind,
    agents: input.agents.map((a) => ({ arn: show(a.arn), assumeRolePolicy: a.policyAttached ? 'attached by this stack' : 'to attach from the stack output' })),
    sessions: input.sessions.map((s) => ({ sessionName: s.sessionName, kubernetesUser: s.kubernetesUser, may: describe(s.permissions) })),
    groups: input.groups.map((g) => ({ group: g.group, may: describe(g.permissions) })),
    accessPolicies: input.accessPolicies.map((p) => ({
      policy: accessPolicyName(scope, p),
      scope: p.accessScope.type,
      namespaces: p.accessScope.namespaces ?? [],
    })),
  };

  const base = path.join(outdir, accessReportBaseName(scope));
  fs.writeFileSync(`${base}.access.json`, `${JSON.stringify(report, undefined, 2)}\n`);
  fs.writeFileSync(`${base}.access.md`, markdown(report));
}

function describe(p: PermissionOptions): string[] {
  const where = p.namespaces?.length ? `in namespaces ${p.namespaces.join(', ')}` : 'cluster-wide';
  const may = (p.clusterRoles ?? []).map((r) => `ClusterRole ${r.name} ${where}`);
  if (p.rules?.length) {
    const rules = p.rules.map((r) => `${r.verbs.join('/')} ${r.resources.join(',')}${r.resourceNames ? ` named ${r.resourceNames.join(',')}` : ''}`);
    may.push(`${p.namespaces?.length ? 'Role' : 'ClusterRole'} of rules [${rules.join('; ')}] ${where}`);
  }
  return may;
}

function markdown(r: any): string {
  const label = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
  const lines = [
    `# Access granted by ${r.construct}`,
    '',
    `Cluster: \`${r.cluster}\`  `,
    `Role: \`${r.role}\`  `,
    `Username template: \`${r.usernameTemplate}\`  `,
    `Session names accepted by the trust policy: ${r.sessionNameRestriction}`,
    '',
    '```mermaid',
    'flowchart LR',
    ...r.agents.map((a: any, i: number) => `  agent${i}[${label(a.arn)}] -->|sts:AssumeRole| role[${label('EKS role')}]`),
    ...r.sessions.flatMap((s: any, i: number) => [
      `  role -->|session ${s.sessionName.replace(/[|"]/g, '')}| user${i}[${label(s.kubernetesUser)}]`,
      ...s.may.map((m: string, j: number) => `  user${i} --> may${i}_${j}[${label(m)}]`),
    ]),
    ...r.groups.flatMap((g: any, i: number) => [
      `  role -->|every session| group${i}[${label(`group ${g.group}`)}]`,
      ...g.may.map((m: string, j: number) => `  group${i} --> gmay${i}_${j}[${label(m)}]`),
    ]),
    ...r.accessPolicies.map((p: any, i: number) => `  role -->|access policy| policy${i}[${label(`${p.policy} (${p.scope}${p.namespaces.length ? `: ${p.namespaces.join(', ')}` : ''})`)}]`),
    '```',
    '',
    '| session name (EKS_BINDING_USER_ROLE) | Kubernetes user | may |',
    '| --- | --- | --- |',
    ...r.sessions.map((s: any) => `| \`${s.sessionName}\` | \`${s.kubernetesUser}\` | ${s.may.join('<br>')} |`),
    '',
  ];
  if (r.groups.length > 0) {
    lines.push('| group (every session) | may |', '| --- | --- |', ...r.groups.map((g: any) => `| \`${g.group}\` | ${g.may.join('<br>')} |`), '');
  }
  if (r.accessPolicies.length > 0) {
    lines.push('| access policy (every session) | scope |', '| --- | --- |',
      ...r.accessPolicies.map((p: any) => `| ${p.policy} | ${p.scope}${p.namespaces.length ? `: ${p.namespaces.join(', ')}` : ''} |`), '');
  }
  lines.push('| agent | sts:AssumeRole permission |', '| --- | --- |', ...r.agents.map((a: any) => `| \`${a.arn}\` | ${a.assumeRolePolicy} |`), '');
  return lines.join('\n');
}
