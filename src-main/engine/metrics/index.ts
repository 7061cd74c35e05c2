export { registerMetricsApi, podUsage, METRICS_GROUP, METRICS_VERSION } from './metrics-api';
export type { MetricsApi, MetricsApiOptions } from './metrics-api';
export { UsageSampler } from './sampler';
export type { ContainerUsage, UsageSamplerOptions } from './sampler';
export { formatBytes, formatGoDuration, formatNanoCores } from './quantities';
