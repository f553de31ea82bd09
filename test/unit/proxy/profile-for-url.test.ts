import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileForUrl } from '../../../src/proxy/run.js';
import { tempDir, writeTree } from '../../helpers/temp.js';

const CFG = `[DEFAULT]
host = https://dbc-other.cloud.databricks.com
token = dapi-other

[acct]
host = https://accounts.cloud.databricks.com
account_id = 0d6b1d3c-0000-0000-0000-000000000000
client_id = x
client_secret = y

[team]
host = https://adb-1.azuredatabricks.net/
token = dapi-team

[team-sp]
host = adb-1.azuredatabricks.net
client_id = a
client_secret = b
`;

test('picks the profile for the --url workspace: the default if it matches, else the first match', (t) => {
  const home = tempDir(t);
  writeTree(home, { '.databrickscfg': CFG });
  const ctx = { env: {}, home };
  assert.equal(profileForUrl(ctx, 'https://adb-1.azuredatabricks.net/api/2.0/mcp/sql'), 'team');
  assert.equal(profileForUrl(ctx, 'https://ADB-1.azuredatabricks.net:443/api/2.0/mcp/genie/x'), 'team', 'host compared canonically');
  assert.equal(profileForUrl(ctx, 'https://dbc-other.cloud.databricks.com/api/2.0/mcp/sql'), 'DEFAULT');
  assert.equal(profileForUrl(ctx, 'https://nowhere.cloud.databricks.com/api/2.0/mcp/sql'), undefined, 'no match: the usual default');
  assert.equal(profileForUrl(ctx, '/api/2.0/mcp/sql'), undefined, 'a path-only --url is on the default profile\'s host');
  assert.equal(profileForUrl(ctx, 'https://my-app-123.aws.databricksapps.com/mcp'), undefined, 'Apps hosts are not workspaces');
});

test('steps aside when a profile is named or any auth setting is in the environment', (t) => {
  const home = tempDir(t);
  writeTree(home, { '.databrickscfg': CFG });
  const url = 'https://adb-1.azuredatabricks.net/api/2.0/mcp/sql';
  for (const env of [{ DATABRICKS_CONFIG_PROFILE: 'DEFAULT' }, { DATABRICKS_HOST: 'https://x' }, { DATABRICKS_TOKEN: 'dapi-env' }, { DATABRICKS_CLIENT_ID: 'id' }, { DATABRICKS_AUTH_TYPE: 'pat' }]) {
    assert.equal(profileForUrl({ env, home }, url), undefined, JSON.stringify(env));
  }
});

test('a missing or broken config file leaves the choice to resolveConfig', (t) => {
  const home = tempDir(t);
  assert.equal(profileForUrl({ env: {}, home }, 'https://adb-1.azuredatabricks.net/x'), undefined);
  writeTree(home, { '.databrickscfg': '[unterminated\nhost = https://adb-1.azuredatabricks.net\n' });
  assert.equal(profileForUrl({ env: {}, home }, 'https://adb-1.azuredatabricks.net/x'), undefined);
});
