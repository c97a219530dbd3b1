import { Command } from 'commander';
import { documentCommand } from '../command-request';
import { formatLinks } from '../output';

/** `ces links`: the hub's links to other hubs (GET /interconnect), both directions, as a table. */
export function linksCommand(): Command {
  return documentCommand('links', {
    description: "list the hub's links to other hubs",
    json: 'print the links as JSON instead',
    path: '/interconnect',
    summary: (body) => formatLinks(body),
  });
}
