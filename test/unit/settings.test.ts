import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { getCatalog } from '../../server/src/catalog/load';
import { defaultSettings, mergeSettings, readPartialSettings, readSettings, RULE_LEVELS, SETTING_KEYS } from '../../server/src/settings';

interface PropertySchema {
  default?: unknown;
  scope?: string;
  type?: string;
  enum?: unknown[];
  additionalProperties?: { enum?: unknown[] };
}

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, PropertySchema> }; commands?: { command: string; title: string }[]; yamlValidation?: { fileMatch: string; url: string }[] };
  activationEvents?: string[];
};
const properties = pkg.contributes.configuration.properties;

describe('settings: one definition, checked against package.json', () => {
  it('every contributed property has a field, and every field a property', () => {
    const fromPkg = Object.keys(properties).map((k) => k.replace(/^vzconf\./, '')).sort();
    const fromType = Object.values(SETTING_KEYS).map((s) => s.key).sort();
    assert.deepEqual(fromType, fromPkg);
    for (const k of Object.keys(properties)) assert.ok(k.startsWith('vzconf.'), k);
  });

  it('the defaults are equal', () => {
    for (const [field, spec] of Object.entries(SETTING_KEYS)) {
      assert.deepEqual(properties[`vzconf.${spec.key}`]?.default, spec.default, `${field} (vzconf.${spec.key})`);
    }
    assert.equal(SETTING_KEYS.kbUrlTemplate.default, getCatalog().catalog.defaultUrlTemplate, 'the KB default of schemas/kb.yaml');
  });

  it('every setting is resource-scoped, except trace.server (window)', () => {
    for (const [key, prop] of Object.entries(properties)) assert.equal(prop.scope, key === 'vzconf.trace.server' ? 'window' : 'resource', key);
  });

  it('enumerations match the types', () => {
    assert.deepEqual(properties['vzconf.run']?.enum, ['onType', 'onSave']);
    assert.deepEqual(properties['vzconf.rules']?.additionalProperties?.enum, [...RULE_LEVELS]);
    assert.deepEqual(properties['vzconf.trace.server']?.enum, ['off', 'messages', 'verbose']);
  });

  it('contributes the commands and the .vzconf.yaml schema', () => {
    assert.deepEqual(pkg.contributes.commands?.map((c) => c.command).sort(), ['vzconf.lintWorkspace', 'vzconf.openRuleDocs', 'vzconf.selectTarget', 'vzconf.showEffectiveConfig', 'vzconf.showLog']);
    assert.deepEqual(pkg.contributes.yamlValidation, [{ fileMatch: '.vzconf.yaml', url: './schemas/vzconf-config.schema.json' }]);
  });
});

describe('settings: reading and layering', () => {
  it('reads nested and dotted keys and drops ill-typed values', () => {
    const s = readSettings({ target: 'vz7', kb: { urlTemplate: 'https://m/{id}' }, 'inlayHints.enabled': false, rules: { 'unknown-parameter': 'off', x: 'loud' }, run: 'sometimes', knownParameters: ['A', 3, ' B '], ignoreSuppressions: 'yes', trace: { server: 'verbose' } });
    assert.equal(s.target, 'vz7');
    assert.equal(s.kbUrlTemplate, 'https://m/{id}');
    assert.equal(s.inlayHintsEnabled, false);
    assert.deepEqual(s.rules, { 'unknown-parameter': 'off' });
    assert.equal(s.run, 'onType');
    assert.deepEqual(s.knownParameters, ['A', 'B']);
    assert.equal(s.ignoreSuppressions, false);
    assert.equal(s.traceServer, 'verbose');
    assert.deepEqual(readSettings(null), defaultSettings());
    assert.deepEqual(readPartialSettings({ target: '' }), {});
  });

  it('later layers win; rules merge per rule; knownParameters are the union', () => {
    const file = { target: 'classic@4.6', rules: { 'unknown-parameter': 'off' as const, 'inline-comment': 'error' as const }, knownParameters: ['A'], ignoreSuppressions: true };
    const editor = { rules: { 'inline-comment': 'hint' as const }, knownParameters: ['B'] };
    const s = mergeSettings(file, editor);
    assert.equal(s.target, 'classic@4.6');
    assert.deepEqual(s.rules, { 'unknown-parameter': 'off', 'inline-comment': 'hint' });
    assert.deepEqual(s.knownParameters, ['A', 'B']);
    assert.equal(s.ignoreSuppressions, true);
    assert.equal(mergeSettings(file, { target: 'vz7' }).target, 'vz7');
    assert.equal(mergeSettings().run, 'onType');
  });
});
