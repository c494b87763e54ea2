// The manifest.json of custodian.mcpb, the MCP Bundle Claude Desktop installs
// with one click (https://github.com/anthropics/mcpb). It holds nothing
// secret and asks for nothing secret: the bridge authenticates with the
// agents' token in the data folder, so the only setting is that folder,
// optional, passed to the bridge as --data (blank: the app's default folder).

import { BUNDLE_DATA_PLACEHOLDER } from '../../electron/bridge/args';
import { BUILTIN_TOOLS } from '../../shared/builtin-tools';

/** Where the bundled bridge sits inside the bundle. */
export const MCPB_ENTRY_POINT = 'server/custodian-mcp.js';
export const MCPB_ICON = 'icon.png';

export function mcpbManifest(app: { version: string; description: string }) {
  return {
    manifest_version: '0.3',
    name: 'custodian',
    display_name: 'Custodian',
    version: app.version,
    description: app.description,
    long_description:
      'Custodian keeps your API keys, passwords and signing keys in an encrypted vault on this ' +
      'computer. This bundle connects Claude to the Custodian app, which must be installed and ' +
      'running: tools use your credentials on your behalf, Claude never sees the secrets, and ' +
      'the app asks you before anything is signed or sent. While Custodian is closed, the tools ' +
      'are still listed and each call says to open it.',
    author: { name: 'Custodian contributors' },
    license: 'MIT',
    icon: MCPB_ICON,
    keywords: ['credentials', 'vault', 'secrets', 'api-keys', 'signing'],
    server: {
      type: 'node',
      entry_point: MCPB_ENTRY_POINT,
      mcp_config: {
        command: 'node',
        args: [`\${__dirname}/${MCPB_ENTRY_POINT}`, `--data=${BUNDLE_DATA_PLACEHOLDER}`],
      },
    },
    // The built-ins; each plugin the person installs adds its own at run time.
    tools: BUILTIN_TOOLS.map(({ name, description }) => ({ name, description })),
    tools_generated: true,
    compatibility: {
      platforms: ['darwin', 'win32', 'linux'],
      runtimes: { node: '>=20.19.0' },
    },
    user_config: {
      data_folder: {
        type: 'directory',
        title: 'Custodian data folder',
        description:
          'Only if Custodian runs with another data folder than its default (--data or CUSTODIAN_DATA_DIR); leave it empty otherwise.',
        required: false,
        default: '',
      },
    },
  };
}
