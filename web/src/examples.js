// Example manifests for the examples menu. Each is a small, realistic input; the insecure ones
// carry comments that say what is wrong, so they teach even before the findings appear. The
// hardened Deployment is clean under the strictest profile: tests/browser/examples.test.mjs keeps
// it that way as rules are added, and checks each example triggers the rules it is meant to show.

import { h } from './dom.js';

export const EXAMPLES = [
  {
    id: 'insecure-deployment',
    title: 'Insecure Deployment',
    description: 'A web app with most of the classic mistakes: privileged, host network, root, secrets in env.',
    files: [
      {
        name: 'insecure-deployment.yaml',
        text: `# A Deployment with the classic mistakes. Every finding on the right points at one.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      hostNetwork: true          # shares the node's network stack
      hostPID: true              # sees every process on the node
      containers:
      - name: app
        image: nginx:latest      # mutable tag
        ports:
        - containerPort: 80
          hostPort: 80
        env:
        - name: DB_PASSWORD
          value: hunter2         # a credential in plain text
        securityContext:
          privileged: yes        # YAML 1.1: this is true
          runAsUser: 0
          allowPrivilegeEscalation: true
          capabilities:
            add: ["SYS_ADMIN", "NET_ADMIN"]
        volumeMounts:
        - name: docker
          mountPath: /var/run/docker.sock
        - name: logs
          mountPath: /var/log/app  # read-write on the node
      volumes:
      - name: docker
        hostPath:
          path: /var/run/docker.sock
      - name: logs
        hostPath:
          path: /var/log/app
`,
      },
    ],
    // Rules this example is meant to show (checked by the tests when the rule exists). Under the
    // hardened profile a hostPath is reported by the restricted `pss-volume-types`, which
    // supersedes its baseline twin `pss-host-path-volumes`, as Pod Security Admission does.
    expect: [
      'pss-privileged',
      'pss-host-namespaces',
      'pss-host-ports',
      'pss-volume-types',
      'pss-capabilities-restricted',
      'pss-privilege-escalation',
      'pss-run-as-non-root',
      'pss-run-as-user',
      'pss-seccomp-restricted',
      'writable-root-filesystem',
      'image-tag-latest',
      'dangerous-capabilities',
      'sensitive-host-path',
      'writable-host-path',
      'secret-in-env',
      'missing-resource-limits',
      'default-service-account',
      'service-account-token-automount',
      'ambiguous-yaml-value',
    ],
  },
  {
    id: 'kube-apiserver',
    title: 'kubeadm kube-apiserver static Pod',
    description:
      'The API server manifest kubeadm writes to /etc/kubernetes/manifests, with a few flags worth a second look.',
    files: [
      {
        name: 'kube-apiserver.yaml',
        text: `# /etc/kubernetes/manifests/kube-apiserver.yaml as kubeadm writes it, plus a static token
# file. No audit logging, no encryption at rest, anonymous requests left on.
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels:
    component: kube-apiserver
    tier: control-plane
  annotations:
    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: 10.0.0.10:6443
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.31.4
    imagePullPolicy: IfNotPresent
    command:
    - kube-apiserver
    - --advertise-address=10.0.0.10
    - --allow-privileged=true
    - --authorization-mode=Node,RBAC
    - --client-ca-file=/etc/kubernetes/pki/ca.crt
    - --enable-admission-plugins=NodeRestriction
    - --enable-bootstrap-token-auth=true
    - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    - --etcd-servers=https://127.0.0.1:2379
    - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
    - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
    - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
    - --proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt
    - --proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key
    - --requestheader-allowed-names=front-proxy-client
    - --requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt
    - --requestheader-extra-headers-prefix=X-Remote-Extra-
    - --requestheader-group-headers=X-Remote-Group
    - --requestheader-username-headers=X-Remote-User
    - --secure-port=6443
    - --service-account-issuer=https://kubernetes.default.svc.cluster.local
    - --service-account-key-file=/etc/kubernetes/pki/sa.pub
    - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key
    - --service-cluster-ip-range=10.96.0.0/12
    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
    - --token-auth-file=/etc/kubernetes/tokens.csv
    livenessProbe:
      failureThreshold: 8
      httpGet:
        host: 10.0.0.10
        path: /livez
        port: 6443
        scheme: HTTPS
      initialDelaySeconds: 10
      periodSeconds: 10
      timeoutSeconds: 15
    resources:
      requests:
        cpu: 250m
    volumeMounts:
    - mountPath: /etc/ssl/certs
      name: ca-certs
      readOnly: true
    - mountPath: /etc/kubernetes/pki
      name: k8s-certs
      readOnly: true
    - mountPath: /etc/kubernetes/tokens.csv
      name: tokens
      readOnly: true
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  volumes:
  - hostPath:
      path: /etc/ssl/certs
      type: DirectoryOrCreate
    name: ca-certs
  - hostPath:
      path: /etc/kubernetes/pki
      type: DirectoryOrCreate
    name: k8s-certs
  - hostPath:
      path: /etc/kubernetes/tokens.csv
      type: File
    name: tokens
`,
      },
    ],
    expect: [
      'apiserver-anonymous-auth-enabled',
      'apiserver-static-token-file',
      'apiserver-audit-log-disabled',
      'apiserver-no-encryption-at-rest',
      'apiserver-kubelet-tls-unverified',
      'apiserver-profiling-enabled',
      'pss-host-namespaces',
      'pss-volume-types',
    ],
  },
  {
    id: 'rbac',
    title: 'RBAC: an over-privileged CI account',
    description: 'A CI ServiceAccount that can read every Secret, exec into pods and escalate, bound cluster-wide.',
    files: [
      {
        name: 'rbac.yaml',
        text: `# A CI deployer that grew, one "just make it work" at a time.
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ci-deployer
  namespace: ci
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ci-deployer
rules:
- apiGroups: ["", "apps"]
  resources: ["deployments", "services", "configmaps", "pods"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["secrets"]                  # list/watch return every value
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods/exec"]                # a shell in any pod
  verbs: ["create"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["clusterroles", "clusterrolebindings"]
  verbs: ["bind", "escalate"]             # grants itself anything
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-deployer
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ci-deployer
subjects:
- kind: ServiceAccount
  name: ci-deployer
  namespace: ci
---
# "Temporary" access for the on-call group.
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: oncall-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: Group
  name: oncall
  apiGroup: rbac.authorization.k8s.io
---
# Meant for a status page; system:authenticated is every user and every ServiceAccount.
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: status-readers
  namespace: ci
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ci-deployer
subjects:
- kind: Group
  name: system:authenticated
  apiGroup: rbac.authorization.k8s.io
- kind: ServiceAccount
  name: default
  namespace: ci
`,
      },
    ],
    expect: [
      'rbac-wildcard',
      'rbac-cluster-admin-binding',
      'rbac-authenticated-subject',
      'rbac-escalation-verbs',
      'rbac-secrets-access',
      'rbac-pod-exec',
      'rbac-workload-create',
      'rbac-default-service-account-binding',
    ],
  },
  {
    id: 'network-policy',
    title: 'NetworkPolicy with a mistake',
    description: 'A namespace meant to be locked down, where one stray dash opens ingress to every namespace.',
    files: [
      {
        name: 'network-policy.yaml',
        text: `# The intent: only the frontend in the "web" namespace may reach the API.
# The mistake: the "-" before podSelector makes two peers (OR) instead of one (AND),
# so every pod of every namespace is admitted. And the egress lock was never written.
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: payments
spec:
  podSelector: {}
  policyTypes: ["Ingress"]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-from-frontend
  namespace: payments
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: ["Ingress"]
  ingress:
  - from:
    - namespaceSelector: {}
    - podSelector:
        matchLabels:
          app: frontend
    ports:
    - protocol: TCP
      port: 8443
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-to-database
  namespace: payments
spec:
  podSelector:
    matchLabels:
      app: apis                    # typo: selects no pod
  policyTypes: ["Egress"]
  egress:
  - to:
    - ipBlock:
        cidr: 0.0.0.0/0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: payments
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      serviceAccountName: api
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: api
        image: registry.example.com/payments/api:2.4.1
        ports:
        - containerPort: 8443
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: ["ALL"]
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: "1", memory: 256Mi}
`,
      },
    ],
    expect: ['network-policy-allows-all', 'network-policy-selects-nothing', 'missing-default-deny-egress'],
  },
  {
    id: 'hardened-deployment',
    title: 'Hardened Deployment (clean)',
    description: 'What good looks like: no findings, even under the hardened profile.',
    files: [
      {
        name: 'hardened-deployment.yaml',
        text: `# A Deployment that passes every check of the hardened profile: Pod Security
# "restricted" enforced on its namespace, default-deny traffic in both directions, its own
# ServiceAccount without a token, a read-only non-root container with limits.
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
automountServiceAccountToken: false
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: ["Ingress", "Egress"]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: ["Ingress", "Egress"]
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: ingress-nginx
      podSelector:
        matchLabels:
          app.kubernetes.io/name: ingress-nginx
    ports:
    - protocol: TCP
      port: 8080
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: web
        image: nginxinc/nginx-unprivileged:1.27.3
        ports:
        - containerPort: 8080
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: ["ALL"]
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
          limits:
            cpu: 500m
            memory: 128Mi
        readinessProbe:
          httpGet:
            path: /
            port: 8080
        volumeMounts:
        - name: tmp
          mountPath: /tmp
      volumes:
      - name: tmp
        emptyDir:
          sizeLimit: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`,
      },
    ],
    expect: [],
  },
];

/** What the findings panel shows before the first finding: what to do, and the examples. */
export function introContent(/** @type {(id: string) => void} */ onExample) {
  return h(
    'div',
    { class: 'kh-intro' },
    h('p', { class: 'kh-empty-title', text: 'Lint Kubernetes manifests for security hardening' }),
    h('p', {
      text: 'Paste YAML or JSON in the editor, drop files or folders, or open files. Findings show up here, with the rule, the reason and the fix.',
    }),
    h(
      'div',
      { class: 'kh-intro-examples' },
      EXAMPLES.map((e) =>
        h(
          'button',
          { type: 'button', class: 'kh-example-button', on: { click: () => onExample(e.id) } },
          h('strong', { text: e.title }),
          h('span', { text: e.description }),
        ),
      ),
    ),
  );
}
