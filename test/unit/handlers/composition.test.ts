import { Composition, shared } from '#functions/composition/composition';

describe('the composition tools', () => {
  it('shares a part: built once, on first use', () => {
    const build = jest.fn(() => ({ id: 1 }));
    const part = shared(build);
    expect(build).not.toHaveBeenCalled();
    expect(part()).toBe(part());
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('lets a test put its own dependencies in place and take them away again', () => {
    const real = { name: 'real' };
    const composition = new Composition(() => real);
    const fake = { name: 'fake' };
    composition.use(fake);
    expect(composition.get()).toBe(fake);
    composition.use(undefined);
    expect(composition.get()).toBe(real);
  });
});
