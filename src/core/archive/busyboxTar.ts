// The archive's part of a restore's data path: whether busybox `tar x` (the work helper's) restores
// this archive exactly, from the header scan. The rest of the rule is operations/dataPath.ts.
// Design notes: docs/data-operations.md#srccorearchivebusyboxtarts
import type { ExtractionPlan } from './extractionPlan';

export interface ArchiveFacts {
  /** The archive's compression ('tar', 'tar.gz', 'tar.bz2' ...). */
  readonly format: string;
  readonly plan: Pick<ExtractionPlan, 'plainTarIssue'>;
  /** Every symlink's owner is known (busybox leaves them root's; they are set afterwards). */
  readonly linkOwnersComplete: boolean;
  /** The owner and mode of the folder whose contents go to the volume root are known (or no such folder). */
  readonly rootFolderKnown: boolean;
}

/** Why busybox `tar x` cannot restore this archive exactly (undefined: it can). */
export function busyboxTarRefusal(a: ArchiveFacts): string | undefined {
  return a.format !== 'tar' && a.format !== 'tar.gz'
    ? `a ${a.format} archive is decompressed here`
    : a.plan.plainTarIssue
      ? `busybox tar would not extract it as GNU tar does: ${a.plan.plainTarIssue}`
      : !a.linkOwnersComplete
        ? 'too many symlinks to set their owners after busybox tar'
        : !a.rootFolderKnown
          ? 'its top folder is too deep to know its owner'
          : undefined;
}
