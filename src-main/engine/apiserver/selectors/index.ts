export { parseLabelSelector, selectorFromSpec, formatSelectorSpec } from './label-selector';
export type { LabelSelector, LabelRequirement, LabelSelectorSpec } from './label-selector';
export { parseFieldSelector, requiredFieldValue, commonFieldGetters } from './field-selector';
export type { FieldSelector, FieldRequirement, FieldGetter } from './field-selector';
