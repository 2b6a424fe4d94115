// Objects in API versions newer Kubernetes no longer serves, as `kubectl get -o yaml` printed them on the old
// clusters (1.13 to 1.21): server defaults, selfLinks and status included. App: namespace legacy-shop.
// Frozen, so every test also proves the code under test never mutates its input.
import { parse } from 'yaml';
import type { KubeObject } from '../../../activities/kube/object.js';
import { deepFreeze } from './deep-freeze.js';

const fromYaml = (text: string): KubeObject => deepFreeze(parse(text) as KubeObject);

/** Created through extensions/v1beta1 on 1.13: the apiserver stored its defaults (MaxInt32, 1 and 1). */
export const extensionsDeployment = fromYaml(`
apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: "12"
  creationTimestamp: "2019-03-04T10:15:22Z"
  generation: 14
  labels:
    app: storefront
  name: storefront
  namespace: legacy-shop
  resourceVersion: "48213377"
  selfLink: /apis/extensions/v1beta1/namespaces/legacy-shop/deployments/storefront
  uid: 6f1b2c3d-3e5a-11e9-b210-d663bd873d93
spec:
  progressDeadlineSeconds: 2147483647
  replicas: 3
  revisionHistoryLimit: 2147483647
  selector:
    matchLabels:
      app: storefront
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 1
    type: RollingUpdate
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: storefront
    spec:
      containers:
      - image: nginx:1.15.8
        imagePullPolicy: IfNotPresent
        name: nginx
        ports:
        - containerPort: 80
          protocol: TCP
        resources: {}
        terminationMessagePath: /dev/termination-log
        terminationMessagePolicy: File
      - image: quay.io/prometheus/nginx-exporter:0.4.2
        name: exporter
      initContainers:
      - image: registry.old.example/shop/assets:2019.03
        name: assets
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
status:
  availableReplicas: 3
  observedGeneration: 14
  readyReplicas: 3
  replicas: 3
  updatedReplicas: 3
`);

/** apps/v1beta1 from a 1.9 manifest that relied on its defaults, as its last-applied configuration shows it. */
export const appsV1beta1Deployment = fromYaml(`
apiVersion: apps/v1beta1
kind: Deployment
metadata:
  name: cart
  namespace: legacy-shop
spec:
  replicas: 2
  rollbackTo:
    revision: 3
  template:
    metadata:
      labels:
        app: cart
        tier: backend
    spec:
      containers:
      - image: registry.old.example/shop/cart:1.4.0
        name: cart
`);

export const extensionsDaemonSet = fromYaml(`
apiVersion: extensions/v1beta1
kind: DaemonSet
metadata:
  creationTimestamp: "2018-11-20T08:01:12Z"
  generation: 3
  labels:
    app: log-shipper
  name: log-shipper
  namespace: legacy-shop
  resourceVersion: "39201145"
  selfLink: /apis/extensions/v1beta1/namespaces/legacy-shop/daemonsets/log-shipper
  uid: 0c9d8e7f-ec9a-11e8-8d4c-42010a840036
spec:
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app: log-shipper
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: log-shipper
    spec:
      containers:
      - image: fluent/fluent-bit:0.14.9
        name: fluent-bit
        volumeMounts:
        - mountPath: /var/log
          name: varlog
      volumes:
      - hostPath:
          path: /var/log
          type: ""
        name: varlog
  templateGeneration: 3
  updateStrategy:
    type: OnDelete
status:
  currentNumberScheduled: 4
  desiredNumberScheduled: 4
  numberAvailable: 4
  numberMisscheduled: 0
  numberReady: 4
  observedGeneration: 3
  updatedNumberScheduled: 4
`);

export const appsV1beta1StatefulSet = fromYaml(`
apiVersion: apps/v1beta1
kind: StatefulSet
metadata:
  creationTimestamp: "2018-02-11T16:40:03Z"
  generation: 1
  name: sessions
  namespace: legacy-shop
  resourceVersion: "11920077"
  selfLink: /apis/apps/v1beta1/namespaces/legacy-shop/statefulsets/sessions
  uid: 9a8b7c6d-0f4e-11e8-a7b2-42010a8e0002
spec:
  podManagementPolicy: OrderedReady
  replicas: 3
  revisionHistoryLimit: 10
  serviceName: sessions
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: sessions
    spec:
      containers:
      - image: redis:4.0.8
        name: redis
        volumeMounts:
        - mountPath: /data
          name: data
  volumeClaimTemplates:
  - metadata:
      creationTimestamp: null
      name: data
    spec:
      accessModes:
      - ReadWriteOnce
      resources:
        requests:
          storage: 1Gi
    status:
      phase: Pending
status:
  replicas: 3
`);

export const appsV1beta2ReplicaSet = fromYaml(`
apiVersion: apps/v1beta2
kind: ReplicaSet
metadata:
  name: legacy-worker
  namespace: legacy-shop
  labels:
    app: legacy-worker
spec:
  replicas: 1
  selector:
    matchLabels:
      app: legacy-worker
  template:
    metadata:
      labels:
        app: legacy-worker
    spec:
      containers:
      - image: busybox:1.28
        name: worker
`);

/** Before 1.18 there was no pathType; servicePort was an int-or-string. */
export const extensionsIngress = fromYaml(`
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  annotations:
    kubernetes.io/ingress.class: nginx
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
  creationTimestamp: "2019-03-04T10:20:41Z"
  generation: 4
  name: storefront
  namespace: legacy-shop
  resourceVersion: "48213501"
  selfLink: /apis/extensions/v1beta1/namespaces/legacy-shop/ingresses/storefront
  uid: 8a2c4e6f-3e5b-11e9-b210-d663bd873d93
spec:
  backend:
    serviceName: storefront
    servicePort: 80
  rules:
  - host: shop.old.example
    http:
      paths:
      - backend:
          serviceName: storefront
          servicePort: http
        path: /
      - backend:
          serviceName: cart
          servicePort: "8080"
        path: /cart
  - host: api.shop.old.example
    http:
      paths:
      - backend:
          serviceName: api
          servicePort: 443
  tls:
  - hosts:
    - shop.old.example
    - api.shop.old.example
    secretName: shop-tls
status:
  loadBalancer:
    ingress:
    - ip: 203.0.113.17
`);

/** 1.19 defaulted pathType; a resource backend points at a bucket instead of a Service. */
export const networkingV1beta1Ingress = fromYaml(`
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: assets
  namespace: legacy-shop
  resourceVersion: "61002231"
  uid: 2b4d6f80-9a1c-4e3b-8d5f-7a9c1e3b5d70
spec:
  ingressClassName: internal
  rules:
  - host: assets.shop.old.example
    http:
      paths:
      - backend:
          resource:
            apiGroup: storage.example.com
            kind: Bucket
            name: static-assets
        path: /static
        pathType: Prefix
      - backend:
          serviceName: thumbnails
          servicePort: 8080
        path: /thumbs
        pathType: ImplementationSpecific
status:
  loadBalancer: {}
`);

export const betaCronJob = fromYaml(`
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  creationTimestamp: "2020-06-01T02:00:00Z"
  name: nightly-export
  namespace: legacy-shop
  resourceVersion: "55120034"
  selfLink: /apis/batch/v1beta1/namespaces/legacy-shop/cronjobs/nightly-export
  uid: 4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f
spec:
  concurrencyPolicy: Forbid
  failedJobsHistoryLimit: 1
  jobTemplate:
    metadata:
      creationTimestamp: null
    spec:
      backoffLimit: 2
      template:
        metadata:
          creationTimestamp: null
        spec:
          containers:
          - args:
            - --since=24h
            image: registry.old.example/shop/exporter:3.2
            name: export
          restartPolicy: OnFailure
  schedule: 0 3 * * *
  successfulJobsHistoryLimit: 3
  suspend: false
status:
  lastScheduleTime: "2021-05-31T03:00:00Z"
`);

/** `selector: {}` protected no pod in v1beta1; in policy/v1 it would protect every pod of the namespace. */
export const emptySelectorPdb = fromYaml(`
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: placeholder
  namespace: legacy-shop
  resourceVersion: "48200112"
  uid: 5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b
spec:
  minAvailable: 1
  selector: {}
status:
  currentHealthy: 0
  desiredHealthy: 1
  disruptionsAllowed: 0
  expectedPods: 0
  observedGeneration: 1
`);

export const storefrontPdb = fromYaml(`
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: storefront
  namespace: legacy-shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: storefront
`);

export const v2beta1Hpa = fromYaml(`
apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata:
  name: storefront
  namespace: legacy-shop
  resourceVersion: "48215001"
  selfLink: /apis/autoscaling/v2beta1/namespaces/legacy-shop/horizontalpodautoscalers/storefront
  uid: 7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d
spec:
  maxReplicas: 12
  minReplicas: 3
  metrics:
  - resource:
      name: cpu
      targetAverageUtilization: 70
    type: Resource
  - resource:
      name: memory
      targetAverageValue: 512Mi
    type: Resource
  - pods:
      metricName: http_requests_per_second
      targetAverageValue: "100"
    type: Pods
  - object:
      metricName: requests-per-second
      target:
        apiVersion: extensions/v1beta1
        kind: Ingress
        name: storefront
      targetValue: "2k"
    type: Object
  - external:
      metricName: queue_messages_ready
      metricSelector:
        matchLabels:
          queue: orders
      targetAverageValue: "30"
    type: External
  - external:
      metricName: backlog_seconds
      targetValue: "120"
    type: External
  scaleTargetRef:
    apiVersion: extensions/v1beta1
    kind: Deployment
    name: storefront
status:
  currentReplicas: 3
  desiredReplicas: 3
`);

export const v2beta2Hpa = fromYaml(`
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: cart
  namespace: legacy-shop
spec:
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
  maxReplicas: 6
  minReplicas: 2
  metrics:
  - resource:
      name: cpu
      target:
        averageUtilization: 60
        type: Utilization
    type: Resource
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: cart
`);

export const betaRole = fromYaml(`
apiVersion: rbac.authorization.k8s.io/v1beta1
kind: Role
metadata:
  name: storefront-config
  namespace: legacy-shop
  selfLink: /apis/rbac.authorization.k8s.io/v1beta1/namespaces/legacy-shop/roles/storefront-config
rules:
- apiGroups:
  - ""
  resources:
  - configmaps
  verbs:
  - get
  - watch
`);

export const betaRoleBinding = fromYaml(`
apiVersion: rbac.authorization.k8s.io/v1beta1
kind: RoleBinding
metadata:
  name: storefront-config
  namespace: legacy-shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: storefront-config
subjects:
- kind: ServiceAccount
  name: storefront
  namespace: legacy-shop
`);

/** cert-manager 0.5's CRD: one version, a non-structural schema, unknown fields kept (v1beta1's default). */
export const betaCrd = fromYaml(`
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  creationTimestamp: "2018-11-02T09:12:44Z"
  generation: 1
  labels:
    app: cert-manager
  name: certificates.certmanager.k8s.io
  resourceVersion: "30120044"
  selfLink: /apis/apiextensions.k8s.io/v1beta1/customresourcedefinitions/certificates.certmanager.k8s.io
  uid: 1d2e3f40-de8a-11e8-9f1c-42010a840002
spec:
  additionalPrinterColumns:
  - JSONPath: .status.conditions[?(@.type=="Ready")].status
    name: Ready
    type: string
  - JSONPath: .spec.secretName
    name: Secret
    type: string
  - JSONPath: .metadata.creationTimestamp
    description: CreationTimestamp is a timestamp representing the server time when this object was created.
    name: Age
    type: date
  group: certmanager.k8s.io
  names:
    kind: Certificate
    listKind: CertificateList
    plural: certificates
    shortNames:
    - cert
    - certs
    singular: certificate
  preserveUnknownFields: true
  scope: Namespaced
  subresources:
    status: {}
  validation:
    openAPIV3Schema:
      properties:
        spec:
          properties:
            dnsNames:
              items:
                type: string
              type: array
            issuerRef:
              properties:
                kind:
                  type: string
                name:
                  type: string
              required:
              - name
            secretName:
              type: string
            acme:
              description: ACME solver configuration, any shape
          required:
          - secretName
  version: v1alpha1
  versions:
  - name: v1alpha1
    served: true
    storage: true
status:
  acceptedNames:
    kind: Certificate
    plural: certificates
  storedVersions:
  - v1alpha1
`);

/** A two-version CRD with per-version schemas, pruning on, and a conversion webhook. */
export const webhookCrd = fromYaml(`
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  name: widgets.shop.example.com
spec:
  conversion:
    strategy: Webhook
    webhookClientConfig:
      caBundle: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
      service:
        name: widget-conversion
        namespace: legacy-shop
        path: /convert
  group: shop.example.com
  names:
    kind: Widget
    plural: widgets
  preserveUnknownFields: false
  scope: Namespaced
  versions:
  - additionalPrinterColumns:
    - JSONPath: .spec.size
      name: Size
      type: integer
    name: v1beta1
    schema:
      openAPIV3Schema:
        properties:
          spec:
            properties:
              size:
                type: integer
            type: object
        type: object
    served: true
    storage: true
  - name: v1alpha1
    schema:
      openAPIV3Schema:
        properties:
          spec:
            properties:
              width:
                type: integer
            type: object
        type: object
    served: false
    storage: false
`);

export const podSecurityPolicy = fromYaml(`
apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  annotations:
    seccomp.security.alpha.kubernetes.io/allowedProfileNames: runtime/default
  name: restricted
spec:
  allowPrivilegeEscalation: false
  fsGroup:
    rule: MustRunAs
    ranges:
    - max: 65535
      min: 1
  requiredDropCapabilities:
  - ALL
  runAsUser:
    rule: MustRunAsNonRoot
  seLinux:
    rule: RunAsAny
  supplementalGroups:
    rule: MustRunAs
    ranges:
    - max: 65535
      min: 1
  volumes:
  - configMap
  - secret
  - persistentVolumeClaim
`);

export const extensionsNetworkPolicy = fromYaml(`
apiVersion: extensions/v1beta1
kind: NetworkPolicy
metadata:
  name: storefront-ingress
  namespace: legacy-shop
  selfLink: /apis/extensions/v1beta1/namespaces/legacy-shop/networkpolicies/storefront-ingress
spec:
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: gateway
    ports:
    - port: 80
      protocol: TCP
  podSelector:
    matchLabels:
      app: storefront
  policyTypes:
  - Ingress
`);

/** What a Kubernetes 1.29 target's discovery lists (the groups these tests touch). */
export const modernServedVersions: ReadonlySet<string> = new Set([
  'v1',
  'apps/v1',
  'batch/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'policy/v1',
  'networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1',
  'apiextensions.k8s.io/v1',
]);
