/** The properties answer of the smart hints (API.md §5 "Smart hints"), and the property hint the suggestions list too. */
import * as z from 'zod/mini';
import { component, described } from '#schemas/registry';
import { dataType, jsonValue } from '#schemas/common';

interface PropertyHintShape {
  name: string;
  type: z.infer<typeof dataType>;
  value?: unknown;
  value_truncated?: true;
  preview_value?: string;
  path: string;
  properties?: PropertyHintShape[];
  properties_truncated?: true;
}

export const propertyHint: z.ZodMiniType<PropertyHintShape, PropertyHintShape> = component(
  'PropertyHint',
  z.strictObject({
    name: z.string(),
    type: dataType,
    value: described(z.optional(jsonValue), { description: 'Absent when value_truncated; "******" for a sensitive variable' }),
    value_truncated: described(z.optional(z.literal(true)), {
      description: "The value's compact JSON is over 1 KiB: preview_value stands in for it",
    }),
    preview_value: z.optional(z.string()),
    path: described(z.string(), { description: 'Reference path of this property, e.g. product_info.specs.color' }),
    get properties(): z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniType<PropertyHintShape, PropertyHintShape>>> {
      return z.optional(z.array(propertyHint));
    },
    properties_truncated: described(z.optional(z.literal(true)), { description: 'Only the first 100 keys are listed' }),
  }),
);

export const variableProperties = component(
  'VariableProperties',
  z.strictObject({
    variable_name: described(z.string(), { description: 'The variable name or reference path, as sent' }),
    data_type: dataType,
    properties: z.array(propertyHint),
    properties_truncated: described(z.optional(z.literal(true)), { description: 'Only the first 100 keys are listed' }),
  }),
);
