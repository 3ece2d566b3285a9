import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Agent, EksAccessRole, KubernetesClusterRole } from '../src';
import { ACCOUNT, AGENT_ARN, importedClusterStack, newApp, buildAccess as build } from './util';

const VIEW = [KubernetesClusterRole.VIEW];

describe('validation', () => {
  describe('username prefix', () => {
    test.each(['system:agent', 'eks:agent', 'aws:agent', 'amazon:agent', 'iam:agent', 'system', 'eks'])('fails for the reserved prefix %s', (prefix) => {
      const reserved = `${prefix}:`.slice(0, `${prefix}:`.indexOf(':') + 1);
      expect(() => build({ usernamePrefix: prefix })).toThrow(
        `Stack/Access: usernamePrefix: ${JSON.stringify(prefix)} is invalid. EKS rejects usernames that start with "${reserved}" ` +
        '(reserved: system:, eks:, aws:, amazon:, iam:). Fix: choose a prefix of your own, for example "eks-access-role". ' +
        'See https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html',
      );
    });

    test('accepts eks-access-role: the rule is about "eks:", not "eks"', () => {
      expect(build({ usernamePrefix: 'eks-access-role' }).access.usernameFor('developers')).toBe('eks-access-role:developers');
    });

    test('fails for a template whose macro is not preceded by a colon', () => {
      expect(() => build({ usernamePrefix: 'eks-access-role{{SessionNameRaw}}' })).toThrow(
        'Stack/Access: usernamePrefix: "eks-access-role{{SessionNameRaw}}" is invalid. ' +
        'EKS requires a ":" right before the {{SessionName}} or {{SessionNameRaw}} macro, and the construct writes the macro itself. ' +
        'Fix: pass only the part before the macro, for example "eks-access-role", and choose the macro with sessionNameMacro. ' +
        'See https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html',
      );
    });

    test('fails for a prefix with a colon, which the construct adds itself', () => {
      expect(() => build({ usernamePrefix: 'team:hoop' })).toThrow(
        'usernamePrefix: "team:hoop" is invalid. The prefix must be non-empty and contain no "{", "}", ":" or white space',
      );
    });
  });

  describe('session names', () => {
    test('accepts developers', () => {
      expect(build({}).access.sessionNames).toEqual(['developers']);
    });

    test.each([
      ['a'],
      ['x'.repeat(65)],
      ['team/dev'],
      ['hoop.groups:developers'],
      ['dev ops'],
      [''],
    ])('fails for %j', (sessionName) => {
      expect(() => build({ bindings: [{ sessionName, clusterRoles: VIEW }] })).toThrow(
        `Stack/Access: bindings[0].sessionName: ${JSON.stringify(sessionName)} is invalid. ` +
        'STS accepts a RoleSessionName of 2 to 64 characters from letters, digits and +=,.@_- (no spaces, "/" or ":"). ' +
        'Fix: use the exact session name the agent passes, for example "developers". ' +
        'See https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
      );
    });

    test('fails for a session bound twice, naming both bindings', () => {
      expect(() => build({
        bindings: [{ sessionName: 'developers', clusterRoles: VIEW }, { sessionName: 'developers', clusterRoles: [KubernetesClusterRole.EDIT] }],
      })).toThrow(
        'Stack/Access: bindings[1].sessionName: "developers" is invalid. bindings[0] already binds session "developers" to the same ' +
        'Kubernetes user "eks-access-role:developers". Fix: merge the two bindings into one that lists all the permissions that session needs.',
      );
    });

    test('fails for a session added with addBinding that an earlier binding already maps to the same user', () => {
      const { access } = build({ sessionNameMacro: undefined });
      expect(() => access.addBinding({ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.EDIT] })).toThrow(
        'addBinding("developers").sessionName: "developers" is invalid. bindings[0] already binds session "developers"',
      );
    });
  });

  describe('groups and namespaces', () => {
    test('fails for the group system:masters', () => {
      expect(() => build({ groupBindings: [{ groupName: 'system:masters', clusterRoles: VIEW }] })).toThrow(
        'Stack/Access: groupBindings[0].groupName: "system:masters" is invalid. EKS rejects Kubernetes groups that are empty or start with "system:". ' +
        'Fix: bind a group of your own (for example "platform-viewers") to the permissions you want. ' +
        'See https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
      );
    });

    test.each([['Dev_Team'], ['n'.repeat(64)]])('fails for the namespace %s', (namespace) => {
      expect(() => build({ bindings: [{ sessionName: 'developers', clusterRoles: VIEW, namespaces: [namespace] }] })).toThrow(
        `Stack/Access: bindings[0].namespaces[0]: ${JSON.stringify(namespace)} is invalid. ` +
        'A namespace name must be a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit. ' +
        'Fix: use the namespace name exactly as it exists in the cluster, for example "dev-team". ' +
        'See https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
      );
    });
  });

  describe('completeness, checked once construction is over', () => {
    test('fails when the role grants nothing', () => {
      const { stack } = build({ bindings: [] });
      expect(() => Template.fromStack(stack)).toThrow(
        'bindings: [] is invalid. The role grants nothing in this cluster: it has no session bindings, group bindings or access policies.',
      );
    });

    test('passes when the only binding is added after construction', () => {
      const { stack, access } = build({ bindings: [] });
      access.addBinding({ sessionName: 'developers', clusterRoles: VIEW });
      expect(() => Template.fromStack(stack)).not.toThrow();
    });

    test('fails for a binding with no permission', () => {
      const { stack } = build({ bindings: [{ sessionName: 'developers' }] });
      expect(() => Template.fromStack(stack)).toThrow(
        'bindings[0]: {"sessionName":"developers"} is invalid. The binding grants nothing: it has neither clusterRoles nor rules. ' +
        'Fix: add clusterRoles (for example [KubernetesClusterRole.VIEW]) or rules, or remove the binding. ' +
        'See https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
      );
    });
  });

  describe('constructs sharing a cluster', () => {
    test('fails for two constructs with the same username prefix on one cluster, naming both', () => {
      const { stack, cluster } = importedClusterStack();
      new EksAccessRole(stack, 'First', { cluster, agents: [Agent.fromArn(AGENT_ARN)], bindings: [{ sessionName: 'developers', clusterRoles: VIEW }] });
      expect(() => new EksAccessRole(stack, 'Second', { cluster, agents: [Agent.fromArn(AGENT_ARN)], bindings: [{ sessionName: 'admins', clusterRoles: VIEW }] }))
        .toThrow(
          'Stack/Second: usernamePrefix: "eks-access-role" is invalid. Stack/First uses the same prefix on this cluster, so sessions of both roles ' +
          'would become the same Kubernetes users. Fix: give Stack/Second a usernamePrefix of its own, for example "eks-access-role-second".',
        );
    });

    test('accepts two constructs with different prefixes on one cluster, and one prefix on two clusters', () => {
      const app = newApp();
      const { stack, cluster } = importedClusterStack(app);
      const other = importedClusterStack(app, 'Other', 'eu-west-1');
      new EksAccessRole(stack, 'First', { cluster, agents: [Agent.fromArn(AGENT_ARN)], bindings: [{ sessionName: 'developers', clusterRoles: VIEW }] });
      new EksAccessRole(stack, 'Second', { cluster, usernamePrefix: 'ops', agents: [Agent.fromArn(AGENT_ARN)], bindings: [{ sessionName: 'a1', clusterRoles: VIEW }] });
      expect(() => new EksAccessRole(other.stack, 'Third', {
        cluster: other.cluster, agents: [Agent.fromArn(AGENT_ARN)], bindings: [{ sessionName: 'a1', clusterRoles: VIEW }],
      })).not.toThrow();
    });
  });

  describe('agents', () => {
    test('fails for an STS session ARN, suggesting the role ARN', () => {
      expect(() => Agent.fromArn(`arn:aws:sts::${ACCOUNT}:assumed-role/agent-runtime/i-0abc`)).toThrow(
        `Agent.fromArn(arn): "arn:aws:sts::${ACCOUNT}:assumed-role/agent-runtime/i-0abc" is invalid. ` +
        'This is an STS session ARN (an assumed role), and trust policies must name the IAM role itself. ' +
        `Fix: use the role's IAM ARN, for example "arn:aws:iam::${ACCOUNT}:role/agent-runtime" (insert the role's path if it has one). ` +
        'See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns',
      );
    });

    test.each([['arn:aws:s3:::my-bucket'], [`arn:aws:iam::${ACCOUNT}:policy/agent`], ['agent-runtime']])('fails for %s, which is not an IAM role or user ARN', (arn) => {
      expect(() => Agent.fromArn(arn)).toThrow(
        `Agent.fromArn(arn): ${JSON.stringify(arn)} is invalid. An agent must be an IAM role or IAM user ARN ` +
        '(arn:<partition>:iam::<12-digit account>:role/<path><name>). ' +
        'Fix: pass the ARN of the role the agent runs as, for example "arn:aws:iam::111122223333:role/agent-runtime".',
      );
    });

    test('accepts role ARNs with paths and user ARNs', () => {
      expect(Agent.fromArn(`arn:aws:iam::${ACCOUNT}:role/gateways/hoop/agent`).principalArn).toBe(`arn:aws:iam::${ACCOUNT}:role/gateways/hoop/agent`);
      expect(Agent.fromArn(`arn:aws-cn:iam::${ACCOUNT}:user/ci`).principalArn).toBe(`arn:aws-cn:iam::${ACCOUNT}:user/ci`);
    });

    test('fails for an empty agent list', () => {
      expect(() => build({ agents: [] })).toThrow(
        'Stack/Access: agents: [] is invalid. The role needs at least one agent to trust. Fix: pass the role the agent runs as, for example [Agent.fromRole(agentRole)].',
      );
    });

    test('skips ARN checks for unresolved tokens', () => {
      const { stack } = importedClusterStack();
      const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
      expect(Agent.fromArn(role.roleArn).principalArn).toBe(role.roleArn);
    });
  });
});

describe('permission checks', () => {
  test('fails for a rule without verbs', () => {
    expect(() => build({ bindings: [{ sessionName: 'developers', rules: [{ resources: ['pods'], verbs: [] }] }] })).toThrow(
      'Stack/Access: bindings[0].rules[0]: {"resources":["pods"],"verbs":[]} is invalid. An RBAC rule needs at least one verb and one resource, or it grants nothing.',
    );
  });

  test('fails for createNamespaces without namespaces', () => {
    expect(() => build({ bindings: [{ sessionName: 'developers', clusterRoles: VIEW, createNamespaces: true }] })).toThrow(
      'Stack/Access: bindings[0].createNamespaces: true is invalid. createNamespaces creates the binding\'s namespaces, and the binding lists none.',
    );
  });

  test('fails for an empty ClusterRole name', () => {
    expect(() => build({ bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.fromName('')] }] })).toThrow(
      'Stack/Access: bindings[0].clusterRoles[0]: "" is invalid. A ClusterRole name must be 1 to 253 characters without "/", "%" or white space.',
    );
  });
});

describe('authentication mode', () => {
  test('fails for a cluster of this app in CONFIG_MAP mode, naming the fix', () => {
    const app = newApp();
    const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const cluster = new eks.Cluster(stack, 'Cluster', {
      version: eks.KubernetesVersion.V1_32, kubectlLayer: new KubectlV36Layer(stack, 'Kubectl'), defaultCapacity: 0,
    });
    expect(() => new EksAccessRole(stack, 'Access', { cluster, agents: [Agent.fromArn(AGENT_ARN)], bindings: [{ sessionName: 'developers', clusterRoles: VIEW }] }))
      .toThrow(
        'Stack/Access: cluster.authenticationMode: "CONFIG_MAP" is invalid. EKS creates access entries only on clusters whose authentication mode is ' +
        'API or API_AND_CONFIG_MAP. Fix: set authenticationMode: AuthenticationMode.API_AND_CONFIG_MAP on the cluster (a one-way change: ' +
        'CONFIG_MAP -> API_AND_CONFIG_MAP -> API; existing aws-auth mappings keep working). ' +
        'See https://docs.aws.amazon.com/eks/latest/userguide/setting-up-access-entries.html',
      );
  });

  test('fails for an imported cluster stated to be in CONFIG_MAP mode', () => {
    expect(() => build({ clusterAuthenticationMode: eks.AuthenticationMode.CONFIG_MAP })).toThrow('clusterAuthenticationMode: "CONFIG_MAP" is invalid.');
  });

  test('warns for an imported cluster whose mode is unknown, and not once it is stated', () => {
    const unknown = build({}).stack;
    Annotations.fromStack(unknown).hasWarning('/Stack/Access', Match.stringLikeRegexp('authentication mode is unknown'));
    const stated = build({ clusterAuthenticationMode: eks.AuthenticationMode.API }).stack;
    Annotations.fromStack(stated).hasNoWarning('/Stack/Access', Match.stringLikeRegexp('authentication mode is unknown'));
  });
});

describe('inputs from JavaScript and other jsii languages', () => {
  test.each([
    ['a binding without sessionName', { bindings: [{ clusterRoles: VIEW }] }, 'bindings[0].sessionName: undefined is invalid. A string is required here.'],
    ['an undefined ClusterRole', { bindings: [{ sessionName: 'developers', clusterRoles: [undefined] }] },
      'bindings[0].clusterRoles: [null] is invalid. A list without empty entries is required here.'],
    ['namespaces given as a string', { bindings: [{ sessionName: 'developers', clusterRoles: VIEW, namespaces: 'team-a' }] },
      'bindings[0].namespaces: "team-a" is invalid. A list without empty entries is required here.'],
    ['verbs given as a string', { bindings: [{ sessionName: 'developers', rules: [{ resources: ['pods'], verbs: 'get' }] }] },
      'bindings[0].rules[0].verbs: "get" is invalid. A list without empty entries is required here.'],
    ['an undefined binding', { bindings: [undefined] }, 'bindings: [null] is invalid. A list without empty entries is required here.'],
    ['a group binding without groupName', { groupBindings: [{ clusterRoles: VIEW }] }, 'groupBindings[0].groupName: undefined is invalid. A string is required here.'],
  ])('fails with a message for %s', (_name, props, message) => {
    expect(() => build(props as any)).toThrow(message);
  });
});

describe('RBAC rules', () => {
  test.each([
    [{ resources: ['pods'], verbs: ['GET'] }, 'bindings[0].rules[0].verbs[0]: "GET" is invalid. RBAC verbs are lowercase words'],
    [{ resources: ['pods'], verbs: [''] }, 'bindings[0].rules[0].verbs[0]: "" is invalid. RBAC verbs are lowercase words'],
    [{ resources: ['Pods'], verbs: ['get'] }, 'bindings[0].rules[0].resources[0]: "Pods" is invalid. RBAC resources are lowercase plural names'],
    [{ resources: ['deployments'], verbs: ['get'] },
      'bindings[0].rules[0].resources[0]: "deployments" is invalid. deployments belong to the API group "apps", and the rule names only the core group, ' +
      'so it grants nothing. Fix: add apiGroups: ["apps"] (or split the rule by group).'],
    [{ resources: ['pods'], verbs: ['get', 'get'] }, 'bindings[0].rules[0].verbs[1]: "get" is invalid. This entry appears twice in the list.'],
  ])('fails for %j', (rule, message) => {
    expect(() => build({ bindings: [{ sessionName: 'developers', rules: [rule] }] })).toThrow(message);
  });

  test('accepts deployments in the apps group, pods/log and "*"', () => {
    expect(() => build({
      bindings: [{
        sessionName: 'developers',
        rules: [{ apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['get'] }, { resources: ['pods/log', '*'], verbs: ['*'] }],
      }],
    })).not.toThrow();
  });
});

describe('lists', () => {
  test('fails for a ClusterRole listed twice', () => {
    expect(() => build({ bindings: [{ sessionName: 'developers', clusterRoles: [KubernetesClusterRole.VIEW, KubernetesClusterRole.VIEW] }] })).toThrow(
      'bindings[0].clusterRoles[1]: "view" is invalid. This entry appears twice in the list. Fix: list each entry once.',
    );
  });

  test('fails for a namespace listed twice', () => {
    expect(() => build({ bindings: [{ sessionName: 'developers', clusterRoles: VIEW, namespaces: ['a', 'a'] }] })).toThrow(
      'bindings[0].namespaces[1]: "a" is invalid. This entry appears twice in the list.',
    );
  });

  test('fails for the same agent twice', () => {
    expect(() => build({ agents: [Agent.fromArn(AGENT_ARN), Agent.fromArn(AGENT_ARN)] })).toThrow(
      `agents[1]: "${AGENT_ARN}" is invalid. This entry appears twice in the list.`,
    );
  });
});

describe('namespaces the cluster owns', () => {
  test.each([['default'], ['kube-system'], ['kube-public']])('cannot be created (and later deleted) by a binding: %s', (namespace) => {
    expect(() => build({ bindings: [{ sessionName: 'developers', clusterRoles: VIEW, namespaces: [namespace], createNamespaces: true }] })).toThrow(
      `bindings[0].namespaces[0]: "${namespace}" is invalid. createNamespaces would make this stack own a namespace the cluster itself owns, ` +
      'and delete it with the binding. Fix: drop createNamespaces for this binding (the namespace already exists), or bind in a namespace of your own.',
    );
  });

  test('can still be bound without createNamespaces', () => {
    expect(() => build({ bindings: [{ sessionName: 'developers', clusterRoles: VIEW, namespaces: ['kube-system'] }] })).not.toThrow();
  });
});

describe('role props', () => {
  test('fails for role-shaping props set with existingRoleArn', () => {
    expect(() => build({ agents: undefined, existingRoleArn: `arn:aws:iam::${ACCOUNT}:role/existing`, roleName: 'x', externalId: 'abc' })).toThrow(
      'Stack/Access: roleName, externalId: "set with existingRoleArn" is invalid. These props shape the role the construct creates, and with ' +
      'existingRoleArn it creates none, so they would be ignored.',
    );
  });

  test.each([[''], ['a'], ['has space']])('fails for the external ID %j', (externalId) => {
    expect(() => build({ externalId })).toThrow(`externalId: ${JSON.stringify(externalId)} is invalid. STS accepts an ExternalId of 2 to 1,224 characters`);
  });

  test.each([[0], [-1], [5000], [1.5]])('fails for trustPolicySizeLimit %d', (trustPolicySizeLimit) => {
    expect(() => build({ trustPolicySizeLimit })).toThrow(
      `trustPolicySizeLimit: ${trustPolicySizeLimit} is invalid. IAM accepts trust policies of up to 2,048 characters, or 4,096 after a quota increase.`,
    );
  });
});

describe('second review: inputs that passed but could not work', () => {
  test('an object shaped like a SessionNameRestriction is refused, so the trust policy never fails open', () => {
    expect(() => build({ sessionNames: { kind: 'Declared', patterns: [] } as any })).toThrow(
      'Stack/Access: sessionNames: {"kind":"Declared","patterns":[]} is invalid. The session-name restriction must come from ' +
      'SessionNameRestriction.declared(), .matching() or .any().',
    );
  });

  test.each([['resourceNames'], ['apiGroups']])('an empty %s list, which matches nothing, is refused', (list) => {
    expect(() => build({ bindings: [{ sessionName: 'developers', rules: [{ resources: ['pods'], verbs: ['get'], [list]: [] }] }] })).toThrow(
      `bindings[0].rules[0].${list}: [] is invalid. An empty ${list} list matches nothing, so the rule grants nothing.`,
    );
  });

  test('a cluster-scoped resource in a namespaced rule is refused', () => {
    expect(() => build({ bindings: [{ sessionName: 'developers', namespaces: ['a'], rules: [{ resources: ['nodes'], verbs: ['get'] }] }] })).toThrow(
      'bindings[0].rules[0].resources[0]: "nodes" is invalid. nodes are cluster-scoped, and with namespaces the rule goes into a namespaced Role, ' +
      'which cannot grant them. Fix: move this rule to a binding without namespaces (a ClusterRole).',
    );
  });

  test('an unknown verb gets an acknowledgeable warning', () => {
    const { stack } = build({ bindings: [{ sessionName: 'developers', rules: [{ resources: ['pods'], verbs: ['lst'] }] }] });
    Annotations.fromStack(stack).hasWarning('/Stack/Access', Match.stringLikeRegexp(
      'bindings\\[0\\]\\.rules\\[0\\] has verbs Kubernetes does not check for built-in resources: lst\\..*\\[ack: cdk-eks-access-role:unknownVerb\\]',
    ));
  });

  test('an unknown access policy name gets an acknowledgeable warning', () => {
    const { stack } = build({ accessPolicies: [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSNotAPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER })] });
    Annotations.fromStack(stack).hasWarning('/Stack/Access', Match.stringLikeRegexp(
      'Access policy AmazonEKSNotAPolicy is not one of the EKS-managed policies this library knows.*\\[ack: cdk-eks-access-role:unknownAccessPolicy\\]',
    ));
  });

  test('agents are refused with existingRoleArn, whose owner manages trust', () => {
    expect(() => build({ existingRoleArn: `arn:aws:iam::${ACCOUNT}:role/existing` })).toThrow(
      'Stack/Access: agents: "set with existingRoleArn" is invalid. These props shape the role the construct creates',
    );
  });

  test.each([[`arn:aws:iam::${ACCOUNT}:role/*`], [`arn:aws:iam::${ACCOUNT}:role/agent `]])('the agent ARN %j, which IAM rejects as a principal, is refused', (arn) => {
    expect(() => Agent.fromArn(arn)).toThrow(
      `Agent.fromArn(arn): ${JSON.stringify(arn)} is invalid. IAM role and user paths and names hold only letters, digits and +=,.@_-: ` +
      'IAM rejects a principal with a wildcard or white space.',
    );
  });

  test.each([
    ['', 'pass the cluster name as `aws eks list-clusters` shows it'],
    ['my cluster!', 'pass the cluster name as `aws eks list-clusters` shows it'],
    [`arn:aws:eks:us-east-1:${ACCOUNT}:cluster/demo`, 'pass the name, not the ARN: "demo"'],
  ])('the clusterName %j is refused', (clusterName, fix) => {
    const stack = new Stack(newApp(), 'Stack');
    expect(() => new EksAccessRole(stack, 'Access', { clusterName, agents: [Agent.fromArn(AGENT_ARN)], bindings: [{ sessionName: 'developers', clusterRoles: VIEW }] }))
      .toThrow(`clusterName: ${JSON.stringify(clusterName)} is invalid. An EKS cluster name is 1 to 100 letters, digits, "-" and "_", starting with a letter or digit. Fix: ${fix}.`);
  });

  test.each([
    ['sessionNameMacro', { sessionNameMacro: 'Foo' }, 'sessionNameMacro: "Foo" is invalid. Allowed values are SessionNameRaw, SessionName.'],
    ['delivery', { delivery: 'gitops' }, 'delivery: "gitops" is invalid. Allowed values are kubectl, yaml, kubectl-and-yaml.'],
  ])('an unknown %s from JavaScript is refused', (_name, props, message) => {
    expect(() => build(props as any)).toThrow(message);
  });

  test('a ClusterRole given as a string points to KubernetesClusterRole', () => {
    expect(() => build({ bindings: [{ sessionName: 'developers', clusterRoles: ['view' as any] }] })).toThrow(
      'bindings[0].clusterRoles[0]: "view" is invalid. ClusterRoles are given as KubernetesClusterRole values, not strings. ' +
      'Fix: use KubernetesClusterRole.fromName("view") or a constant such as KubernetesClusterRole.VIEW.',
    );
  });

  test.each([
    ['no props', (stack: Stack) => new EksAccessRole(stack, 'Access', undefined as any), 'Stack/Access: props: undefined is invalid. EksAccessRole needs props.'],
    ['Agent.fromRole(undefined)', () => Agent.fromRole(undefined as any), 'Agent.fromRole(role): undefined is invalid. An iam.IRole is required here.'],
    ['addBinding(undefined)', (stack: Stack) => build({}, { stack, cluster: importedClusterStack(stack.node.root as any, 'Other').cluster }).access.addBinding(undefined as any),
      'addBinding(undefined): undefined is invalid. A binding object is required here.'],
    ['accessPolicies: [undefined]', () => build({ accessPolicies: [undefined as any] }), 'accessPolicies: [null] is invalid. A list without empty entries is required here.'],
  ])('JavaScript garbage gets a message, not a TypeError: %s', (_name, act, message) => {
    const stack = new Stack(newApp(), 'Stack');
    expect(() => act(stack)).toThrow(message);
  });

  test('the trust size error suggests 4096 only when 4096 would be enough', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ sessionName: `person-${i}@example.com`, clusterRoles: VIEW }));
    const { stack } = build({ bindings: many });
    expect(() => Template.fromStack(stack)).toThrow(/instead of listing each one\. See/);
  });
});
