import type { ResourceDefinition } from '../types';
import { hpaV1Definition, hpaV2Definition } from './horizontalpodautoscalers';

/** autoscaling/v2 (preferred) and autoscaling/v1 HorizontalPodAutoscalers. */
export const autoscalingResources: ResourceDefinition[] = [hpaV2Definition, hpaV1Definition];

export { hpaToVersion, hpaV1ToV2, hpaV2ToV1 } from './hpa-conversion';
