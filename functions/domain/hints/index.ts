/** Smart hints domain (API.md §5 "Smart hints"): previews, property hints, search scoring. Pure: no I/O. */
export * from '#domain/hints/preview';
export * from '#domain/hints/properties';
export * from '#domain/hints/sequence-matcher';
export * from '#domain/hints/search';
export * from '#domain/hints/suggestions';
export * from '#domain/hints/suggestions';
