'use strict';
/**
 * The benchmark data: names and values that the seeding code writes and the load steps read.
 * Shared by the runner (seeding, custom loops) and the artillery processor, so both agree.
 */

const REFERENCE_STEP = 50;

function coreExecutionId(runTag, index) {
  return `${runTag}-core-${index}`;
}

function seededName(index) {
  return `var_${index}`;
}

/** A small JSON object like an `aiQuery` result (≈150 bytes). */
function smallObject(seed) {
  return {
    id: seed,
    name: `item ${seed}`,
    price: Math.round((seed % 10_000) * 1.37) / 100,
    in_stock: seed % 3 !== 0,
    tags: ['load', `t${seed % 7}`],
    dimensions: { w: seed % 50, h: (seed * 7) % 50 },
  };
}

/** The variables of the `references` execution (all written at steps below REFERENCE_STEP). */
function referenceVariables() {
  const items = Array.from({ length: 20 }, (_, i) => ({ name: `item-${i}`, sku: `SKU-${1000 + i}`, qty: i + 1 }));
  return [
    { variable_name: 'product', value: { name: 'Lamp', price: 49.9, stock: 12, category: { id: 7, name: 'lighting' } } },
    { variable_name: 'items', value: items },
    {
      variable_name: 'user',
      value: { name: 'Ada', email: 'ada@example.test', address: { city: 'Zurich', zip: '8001' }, roles: ['admin', 'qa'] },
    },
    { variable_name: 'order_id', value: 'ORD-2026-000123' },
    { variable_name: 'total', value: 1234.5 },
    { variable_name: 'logged_in', value: true },
    {
      variable_name: 'matrix',
      value: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    },
    { variable_name: 'search_terms', value: ['lamp', 'desk', 'chair'] },
    {
      variable_name: 'cart',
      value: {
        lines: [
          { sku: 'SKU-1000', qty: 2 },
          { sku: 'SKU-1001', qty: 1 },
        ],
        currency: 'EUR',
      },
    },
    { variable_name: 'nothing', value: null },
  ].map((variable, i) => ({ ...variable, source_step_index: i * 3, source_api_method: 'aiQuery' }));
}

/** A step's params with exactly 10 references (typed single references and text-mode ones). */
function resolveParams() {
  return {
    price: '${product.price}',
    last_item: '${items[-1].name}',
    greeting: 'Hello ${user.name} from ${user.address.city}',
    order: { id: '${order_id}', total: '${total}', line: '${cart.lines[0].sku}' },
    flags: ['${logged_in}', 'literal', 42],
    cell: '${matrix[1][2]}',
    query: 'search for ${search_terms[1]}',
  };
}

/** 20 references for validate: mostly valid, a few typical mistakes. */
function validateReferences() {
  return [
    '${product.price}',
    '${product.category.name}',
    '${items[0].sku}',
    '${items[-1].name}',
    '${items[19].qty}',
    '${user.name}',
    '${user.address.city}',
    '${user.roles[1]}',
    '${order_id}',
    '${total}',
    '${logged_in}',
    '${matrix[1][2]}',
    '${search_terms[2]}',
    '${cart.lines[1].qty}',
    '${cart.currency}',
    '${nothing}',
    '${user_nme}',
    '${product.colour}',
    '${items[99].name}',
    '${order_id.length}',
  ];
}

const HINT_WORDS = [
  'user_name',
  'user_email',
  'order_total',
  'product_price',
  'cart_items',
  'search_results',
  'session_token',
  'page_title',
];

/** The i-th of the `hints` execution's variables: varied names, types and steps. */
function hintVariable(i) {
  const word = HINT_WORDS[i % HINT_WORDS.length];
  const kind = i % 4;
  const value = kind === 0 ? smallObject(i) : kind === 1 ? `value ${i}` : kind === 2 ? i * 1.5 : [i, i + 1, i + 2];
  return { variable_name: `${word}_${i}`, value, source_step_index: i, source_api_method: 'aiQuery' };
}

module.exports = {
  REFERENCE_STEP,
  coreExecutionId,
  seededName,
  smallObject,
  referenceVariables,
  resolveParams,
  validateReferences,
  hintVariable,
};
