import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../lib/variable-service-stack';
import { synthStack } from './template';

describe('synthesis', () => {
  it('passes CDK built-in CloudFormation validation, strictly (every finding fails synth)', () => {
    const { app } = synthStack({ '@aws-cdk/core:strictCfnValidateErrors': true }, { validate: true });
    expect(() => app.synth()).not.toThrow();
  });

  it('skips esbuild in tests: function code points at the unbuilt source, no bundle is staged', () => {
    const { app } = synthStack();
    const assembly = app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'VariableService.assets.json'), 'utf8'));
    const functionAssets = Object.values(manifest.files as Record<string, { displayName: string; source: { path: string } }>).filter(
      (asset) => asset.displayName.startsWith('Functions/'),
    );
    expect(functionAssets.length).toBeGreaterThan(0);
    for (const asset of functionAssets) expect(path.resolve(assembly.directory, asset.source.path)).toBe(PROJECT_ROOT);
    // Only CDK's own prebuilt code is staged (the editor deployment's handler and CLI layer, dev's
    // auto-delete provider); the step editor's files are not built either (its asset is web/ itself).
    const staged = Object.values(manifest.files as Record<string, { displayName: string; source: { path: string } }>).filter((asset) =>
      asset.source.path.startsWith('asset.'),
    );
    for (const asset of staged)
      expect(asset.displayName).toMatch(
        /^(Editor\/Files\/AwsCliLayer\/|Custom::CDKBucketDeployment|VariableService\/Custom::S3AutoDeleteObjectsCustomResourceProvider)/,
      );
    expect(
      fs
        .readdirSync(assembly.directory)
        .filter((entry) => entry.startsWith('asset.'))
        .sort(),
    ).toEqual(staged.map((asset) => asset.source.path).sort());
    const editorFiles = Object.values(manifest.files as Record<string, { displayName: string; source: { path: string } }>).find(
      (asset) => asset.displayName === 'Editor/Files/Asset1',
    );
    expect(path.resolve(assembly.directory, editorFiles!.source.path)).toBe(path.join(PROJECT_ROOT, 'web'));
  });
});
