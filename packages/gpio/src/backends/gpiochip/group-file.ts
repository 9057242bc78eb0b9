// Group names for gids, from /etc/group text. Pure; the file is read by the caller.

/** The name of `gid` in /etc/group format text (name:password:gid:members), if listed. */
export function groupNameForGid(etcGroup: string, gid: number): string | undefined {
  for (const line of etcGroup.split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , id] = line.split(':');
    if (name && id !== undefined && id.trim() !== '' && Number(id) === gid) return name;
  }
  return undefined;
}
