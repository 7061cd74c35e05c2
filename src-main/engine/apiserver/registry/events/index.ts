import type { ResourceDefinition } from '../types';
import { eventsV1Definition } from './events';

/** Every events.k8s.io/v1 resource. */
export const eventsResources: ResourceDefinition[] = [eventsV1Definition];

export { coreEventToEventsV1, eventsV1ToCore } from './event-conversion';
