/** The reference domain: grammar (reusable by clients), evaluation, substitution, validation, texts. */
export * from '#domain/references/grammar';
export * from '#domain/references/evaluate';
export * from '#domain/references/capped-rendering';
export * from '#domain/references/resolve';
export * from '#domain/references/validate';
export * from '#domain/references/messages';
