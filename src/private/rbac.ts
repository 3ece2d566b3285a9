// The only file that touches cdk8s-plus-27: that line gets no more upstream fixes, so keep the surface thin.
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PermissionOptions, RbacRule } from '../binding';
import { shortHash as hash } from './hash';

/** A User (a session's Kubernetes user) or Group subject. */
export interface RbacSubject {
  readonly kind: 'User' | 'Group';
  /** The subject's name in Kubernetes, for example `eks-access-role:developers`. */
  readonly name: string;
  /** What the user declared (session or group name): object names derive from it, not from the rendered name. */
  readonly declared: string;
}

/** What a binding references; `label` replaces a long generated role name in the readable part of object names. */
interface RoleRef {
  readonly kind: string;
  readonly name: string;
  readonly label?: string;
}

/** Objects that are not tied to one subject (Namespaces) share this group key. */
export const NAMESPACES_GROUP = 'namespaces';

const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'cdk-eks-access-role' };
const MAX_READABLE = 54;

/**
 * Builds the RBAC objects of one construct in a cdk8s chart, and remembers which subject each object belongs to so
 * manifests can be split by subject without moving objects between them.
 */
export class RbacChart {
  public readonly chart: cdk8s.Chart;
  private readonly groupOf = new Map<cdk8s.ApiObject, string>();
  private readonly namespaces = new Map<string, kplus.Namespace>();
  private readonly clusterRoleRefs = new Map<string, kplus.IClusterRole>();

  /**
   * @param prefix the username prefix: it starts every object name, so two constructs on one cluster never collide
   */
  constructor(chartId: string, private readonly prefix: string) {
    const app = new cdk8s.App();
    this.chart = new cdk8s.Chart(app, chartId, { disableResourceNameHashes: true, labels: MANAGED_BY });
  }

  /** Creates the objects that grant `subject` the permissions. */
  public grant(subject: RbacSubject, permissions: PermissionOptions): void {
    const group = `${subject.kind}:${subject.declared}`;
    const who = this.subjectConstruct(subject);
    const namespaces = permissions.namespaces ?? [];
    const rules = permissions.rules ?? [];

    for (const clusterRole of permissions.clusterRoles ?? []) {
      const ref = this.clusterRoleRef(clusterRole.name);
      const roleRef = { kind: 'ClusterRole', name: clusterRole.name };
      if (namespaces.length === 0) {
        const name = this.objectName(subject, roleRef);
        const binding = new kplus.ClusterRoleBinding(this.chart, `ClusterRoleBinding-${name}`, { metadata: { name }, role: ref });
        binding.addSubjects(who);
        this.track(binding, group);
      }
      for (const namespace of namespaces) {
        this.roleBinding(subject, who, group, namespace, ref, roleRef, permissions.createNamespaces);
      }
    }

    if (rules.length > 0 && namespaces.length === 0) {
      const name = this.objectName(subject, { kind: 'ClusterRole', name: 'rules' });
      const role = new kplus.ClusterRole(this.chart, `ClusterRole-${name}`, { metadata: { name } });
      for (const rule of rules) {
        role.allow(rule.verbs, ...apiResources(rule).map(asEndpoint));
      }
      this.track(role, group);
      const bindingName = this.objectName(subject, { kind: 'ClusterRole', name, label: 'rules' });
      const binding = new kplus.ClusterRoleBinding(this.chart, `ClusterRoleBinding-${bindingName}`, { metadata: { name: bindingName }, role });
      binding.addSubjects(who);
      this.track(binding, group);
    }
    for (const namespace of rules.length > 0 ? namespaces : []) {
      const name = this.objectName(subject, { kind: 'Role', name: 'rules' });
      const role = new kplus.Role(this.chart, `Role-${namespace}-${name}`, { metadata: { name, namespace } });
      for (const rule of rules) {
        role.allow(rule.verbs, ...apiResources(rule));
      }
      this.track(role, group);
      this.orderAfterNamespace(role, namespace, permissions.createNamespaces);
      this.roleBinding(subject, who, group, namespace, role, { kind: 'Role', name, label: 'rules' }, permissions.createNamespaces);
    }
  }

  /**
   * The subject group each object of the chart belongs to, in the chart's order.
   * Objects added to the chart by users belong to a group named after their kind and name.
   */
  public synth(): Array<{ group: string; manifest: any }> {
    const objects = this.chart.node.findAll().filter((c): c is cdk8s.ApiObject => c instanceof cdk8s.ApiObject);
    const groups = new Map<string, string>();
    for (const o of objects) {
      groups.set(objectKey(o.kind, o.metadata.namespace, o.name), this.groupOf.get(o) ?? `${o.kind}:${o.metadata.namespace ?? ''}/${o.name}`);
    }
    return this.chart.toJson().map((manifest: any) => ({
      group: groups.get(objectKey(manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name))!,
      manifest,
    }));
  }

  private roleBinding(
    subject: RbacSubject, who: kplus.ISubject, group: string, namespace: string,
    role: kplus.IRole, roleRef: RoleRef, createNamespace?: boolean,
  ): void {
    const name = this.objectName(subject, roleRef);
    const binding = new kplus.RoleBinding(this.chart, `RoleBinding-${namespace}-${name}`, { metadata: { name, namespace }, role });
    binding.addSubjects(who);
    this.track(binding, group);
    this.orderAfterNamespace(binding, namespace, createNamespace);
  }

  private orderAfterNamespace(resource: kplus.Resource, namespace: string, create?: boolean): void {
    if (!create) {
      return;
    }
    let ns = this.namespaces.get(namespace);
    if (!ns) {
      ns = new kplus.Namespace(this.chart, `Namespace-${namespace}`, { metadata: { name: namespace } });
      this.track(ns, NAMESPACES_GROUP);
      this.namespaces.set(namespace, ns);
    }
    cdk8s.ApiObject.of(resource).addDependency(cdk8s.ApiObject.of(ns));
  }

  private subjectConstruct(subject: RbacSubject): kplus.ISubject {
    const id = `${subject.kind}-${hash(subject.name)}`;
    const existing = this.chart.node.tryFindChild(id) as kplus.ISubject | undefined;
    if (existing) {
      return existing;
    }
    return subject.kind === 'User' ? kplus.User.fromName(this.chart, id, subject.name) : kplus.Group.fromName(this.chart, id, subject.name);
  }

  private clusterRoleRef(name: string): kplus.IClusterRole {
    let ref = this.clusterRoleRefs.get(name);
    if (!ref) {
      ref = kplus.ClusterRole.fromClusterRoleName(this.chart, `ClusterRoleRef-${hash(name)}`, name);
      this.clusterRoleRefs.set(name, ref);
    }
    return ref;
  }

  private track(resource: kplus.Resource, group: string): void {
    this.groupOf.set(cdk8s.ApiObject.of(resource), group);
  }

  /**
   * A deterministic DNS-1123 name, `<prefix>-<subject>-<role>-<hash>`, at most 63 characters. The hash covers the
   * prefix, the declared subject and the role reference, so a name changes exactly when the roleRef (immutable in
   * Kubernetes) changes, and names stay distinct when slugging drops characters (`a@b.c` vs `a-b.c`).
   */
  private objectName(subject: RbacSubject, roleRef: RoleRef): string {
    const readable = [this.prefix, subject.kind === 'Group' ? 'group' : '', subject.declared, roleRef.label ?? roleRef.name]
      .map(slug).filter((s) => s.length > 0).join('-').slice(0, MAX_READABLE).replace(/-+$/, '');
    return `${readable}-${hash(JSON.stringify([this.prefix, subject.kind, subject.declared, roleRef.kind, roleRef.name]))}`;
  }
}

function apiResources(rule: RbacRule): kplus.IApiResource[] {
  const resources: kplus.IApiResource[] = [];
  for (const apiGroup of rule.apiGroups ?? ['']) {
    for (const resourceType of rule.resources) {
      for (const resourceName of rule.resourceNames ?? [undefined]) {
        resources.push({ apiGroup, resourceType, resourceName });
      }
    }
  }
  return resources;
}

function asEndpoint(resource: kplus.IApiResource): kplus.IApiEndpoint {
  return { asApiResource: () => resource, asNonApiResource: () => undefined };
}

function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}
