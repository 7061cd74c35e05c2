export { startScheduler } from './scheduler';
export type { SchedulerOptions } from './scheduler';
export { failureMessage, filterNode, wantsScheduling } from './filters';
export type { NodeInfo } from './filters';
export { podRequests, nodeAllocatable } from './pod-resources';
export * from './predicates';
