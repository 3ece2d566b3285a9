// Runs cdk-nag packs and aws-cdk-lib's CloudFormation validation the way a user's app does (validation plugins at
// synth) and reads back every finding from the cloud assembly's validation report, warnings and acknowledgements included.
import * as fs from 'fs';
import * as path from 'path';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { App, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { newApp } from '../util';

/** The name aws-cdk-lib gives its built-in CloudFormation validation plugin in the report. */
export const CLOUDFORMATION_VALIDATE = 'CloudFormation Validate';

/** The cdk-nag packs the issue names, by the plugin name each reports under. */
export const NAG_PACKS = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];

/** One rule violated by one construct, as the validation report lists it. */
export interface Finding {
  readonly plugin: string;
  /** For example `AwsSolutions-IAM5[Action::sts:*]`; `plugin-failure` when the plugin itself threw. */
  readonly rule: string;
  readonly severity: string;
  /** The construct path of the violating L1, for example `Stack/Access/Role/Resource`; empty when the report names none. */
  readonly path: string;
  /** The construct's type, for example `aws-cdk-lib.aws_iam.CfnRole`. */
  readonly fqn: string;
  readonly description: string;
  /** True when a `Validations.of(...).acknowledge()` suppressed it: the issue allows no acknowledgements, so it still counts. */
  readonly acknowledged: boolean;
}

/**
 * A fresh App (temp outdir, cleaned after the file) with aws-cdk-lib's CloudFormation validation on and the four
 * cdk-nag packs registered as validation plugins. Synth does not throw on findings: `synthFindings` reads them all.
 */
export function newCheckedApp(): App {
  const app = newApp({ validation: true });
  // Findings are read from the report, warnings included; without this, errors throw with a partial message.
  app.node.setContext(cxapi.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT, false);
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
  );
  return app;
}

/** Synthesizes the app and returns every finding of every validation plugin. Throws when no report was written. */
export function synthFindings(app: App): Finding[] {
  const assembly = app.synth();
  const file = path.join(assembly.directory, cxapi.VALIDATION_REPORT_FILE);
  if (!fs.existsSync(file)) {
    throw new Error(`no validation report at ${file}: no validation plugin ran`);
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const reported: Finding[] = report.pluginReports.flatMap((plugin: any) => {
    const failure: Finding[] = plugin.conclusion === 'failure' && plugin.violations.length === 0
      ? [{ plugin: plugin.pluginName, rule: 'plugin-failure', severity: 'error', path: '', fqn: '', description: plugin.metadata?.error ?? '', acknowledged: false }]
      : [];
    const flatten = (violations: any[] | undefined, acknowledged: boolean): Finding[] => (violations ?? []).flatMap((v: any) => {
      const constructs: any[] = v.violatingConstructs?.length ? v.violatingConstructs : [{}];
      return constructs.map((c) => ({
        plugin: plugin.pluginName,
        rule: v.ruleName,
        severity: v.severity,
        path: c.constructPath ?? '',
        fqn: c.constructFqn ?? '',
        description: v.description,
        acknowledged,
      }));
    });
    return [...failure, ...flatten(plugin.violations, false), ...flatten(plugin.suppressedViolations, true)];
  });
  return [...reported, ...acknowledgements(app)];
}

/**
 * Every `Validations.of(...).acknowledge()` in the app, as a finding of plugin `acknowledgement`: cdk-nag leaves an
 * acknowledged rule out of the report altogether, so the only way to see one is the construct tree.
 */
function acknowledgements(app: App): Finding[] {
  return app.node.findAll().flatMap((c: IConstruct) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
      plugin: 'acknowledgement',
      rule: id.replace(/^annotation::/i, ''),
      severity: 'error',
      path: c.node.path,
      fqn: '',
      description: `acknowledged: ${reason}`,
      acknowledged: true,
    }))));
}

/**
 * Findings of the cdk-nag packs, and every acknowledgement of one of their rules (cdk-nag reports acknowledged rules
 * nowhere else). aws-cdk-lib acknowledges some CloudFormation validation rules itself; those are not cdk-nag's.
 */
export function nagFindings(findings: Finding[]): Finding[] {
  const isNagRule = (rule: string) => NAG_PACKS.some((pack) => rule.startsWith(`${pack}-`));
  return findings.filter((f) => NAG_PACKS.includes(f.plugin) || (f.plugin === 'acknowledgement' && isNagRule(f.rule)));
}

/** Findings of aws-cdk-lib's CloudFormation validation only. */
export function cloudFormationFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.plugin === CLOUDFORMATION_VALIDATE);
}

/** Whether a construct path is `scope` or below it. */
export function isUnder(constructPath: string, scope: string): boolean {
  return constructPath === scope || constructPath.startsWith(`${scope}/`);
}

/**
 * The subtrees of an app that aws-cdk-lib (and the kubectl layer package) create for EKS, not this construct:
 * clusters of aws-eks and aws-eks-v2, the cluster-creation provider, kubectl providers (also the one `KubernetesManifest` adds to the stack
 * for a cluster imported with `kubectlRoleArn`) and kubectl layers. Call it after synthesis: the construct adds its
 * manifests, and with them any kubectl provider, while the app synthesizes.
 */
export function awsCdkLibEksSubtrees(app: App): string[] {
  const roots = app.node.findAll().filter((c: IConstruct) =>
    c instanceof eks.Cluster
    || c instanceof eksv2.Cluster
    || c instanceof eks.KubectlProvider
    || c instanceof eksv2.KubectlProvider
    || c instanceof KubectlV36Layer
    || c.node.id === '@aws-cdk--aws-eks.ClusterResourceProvider');
  const paths = roots.map((c) => c.node.path);
  return paths.filter((p) => !paths.some((other) => other !== p && isUnder(p, other))).sort();
}

/**
 * Splits findings into those on the construct's own resources (`scope`), those on the scoped-out aws-cdk-lib
 * subtrees, and the unexplained rest (anything else, including findings without a construct path).
 */
export function partitionFindings(findings: Finding[], scope: string, scopedOut: string[]) {
  const own = findings.filter((f) => f.path !== '' && isUnder(f.path, scope));
  const outOfScope = findings.filter((f) => !own.includes(f) && f.path !== '' && scopedOut.some((s) => isUnder(f.path, s)));
  const unexplained = findings.filter((f) => !own.includes(f) && !outOfScope.includes(f));
  return { own, outOfScope, unexplained };
}

/**
 * The check every compliance test makes: throws, listing each one, when a finding is on the construct's own
 * resources or outside the declared aws-cdk-lib subtrees. Returns the scoped-out findings.
 */
export function assertNoFindings(findings: Finding[], scope: string, scopedOut: string[] = []): Finding[] {
  const { own, outOfScope, unexplained } = partitionFindings(findings, scope, scopedOut);
  const problems = [
    ...own.map((f) => `on the construct: ${describeFinding(f)}`),
    ...unexplained.map((f) => `outside the construct and the scoped-out aws-cdk-lib subtrees: ${describeFinding(f)}`),
  ];
  if (problems.length > 0) {
    throw new Error(`${problems.length} validation finding(s):\n  ${problems.join('\n  ')}`);
  }
  return outOfScope;
}

/** One line per finding: `AwsSolutions-IAM5[Action::sts:*] (error) at Stack/Access/AgentPolicy/Resource`. */
export function describeFinding(f: Finding): string {
  return `${f.rule} (${f.severity}${f.acknowledged ? ', acknowledged' : ''}) at ${f.path || '<no construct>'}: ${f.description}`;
}
