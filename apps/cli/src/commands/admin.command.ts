import { formatLinks, formatStatus } from '../format-status';
import { HubAddress, hubRequest } from '../hub-address';

/** `ces status`: a readable summary of /status, or the JSON itself. */
export async function statusCommand(
  hub: HubAddress,
  token: string | undefined,
  json: boolean,
): Promise<void> {
  const status = await hubRequest(hub, '/status', token);
  process.stdout.write(
    `${json ? JSON.stringify(status, null, 2) : formatStatus(status as Parameters<typeof formatStatus>[0])}\n`,
  );
}

/** `ces interconnect ADDRESS`: links the hub to another. */
export async function interconnectCommand(
  hub: HubAddress,
  address: string,
  token: string | undefined,
): Promise<void> {
  const link = (await hubRequest(
    hub,
    `/interconnect/${encodeURIComponent(address)}`,
    token,
    'POST',
  )) as { state: string; lastError?: string };
  process.stdout.write(
    `link to ${address}: ${link.state}${link.lastError ? ` (${link.lastError})` : ''}\n`,
  );
}

export async function unlinkCommand(
  hub: HubAddress,
  address: string,
  token: string | undefined,
): Promise<void> {
  await hubRequest(hub, `/interconnect/${encodeURIComponent(address)}`, token, 'DELETE');
  process.stdout.write(`unlinked ${address}\n`);
}

export async function linksCommand(hub: HubAddress, token: string | undefined): Promise<void> {
  const links = await hubRequest(hub, '/interconnect', token);
  process.stdout.write(`${formatLinks(links as Parameters<typeof formatLinks>[0])}\n`);
}
