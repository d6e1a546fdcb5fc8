// Every text the core gives a user: code -> [English, 简体中文]. Parameters are {name}; in English,
// {n|one|many} puts the number before the word that fits it. A test checks both sides use the same names.
export const CATALOGUE = {
  // Operations, as the subject or object of a sentence
  'op.backup': ['the backup', '备份'],
  'op.restore': ['the restore', '恢复'],
  'op.clone': ['the clone', '克隆'],
  'op.copyToEngine': ['the copy to the other engine', '复制到另一个引擎'],
  'op.waiting': ['waiting for {volumes}', '等待{volumes}'],
  'op.cancelled': ['{what} was cancelled; nothing was left behind.', '{what}已取消，没有留下任何内容。'],
  'op.streamBroke': ['The connection to the Docker engine broke during {what} ({detail}).', '{what}过程中与 Docker 引擎的连接中断（{detail}）。'],

  // The engine
  'engine.said': ['{detail}', 'Docker 引擎报告：{detail}'],
  'engine.permission': [
    'Permission denied on the Docker socket: your user must be in the "docker" group (or use rootless Docker).',
    '无权访问 Docker 套接字：当前用户需要加入“docker”组（或使用 rootless Docker）。',
  ],
  'engine.noAnswer': ['The Docker engine does not answer ({code}).', 'Docker 引擎没有响应（{code}）。'],
  'engine.sshFailed': ['Could not reach the engine at {address} over ssh: {detail}', '无法通过 ssh 连接到 {address} 的引擎：{detail}'],
  'engine.sshClosed': ['The ssh connection to {address} ended: {detail}', '到 {address} 的 ssh 连接已中断：{detail}'],
  'engine.closed': ['The Docker engine closed the connection.', 'Docker 引擎关闭了连接。'],
  'engine.error': ['Docker engine error', 'Docker 引擎出错'],
  'engine.badAnswer': ['The Docker engine gave an answer that is not HTTP as expected ({detail}).', 'Docker 引擎的回应不是预期的 HTTP（{detail}）。'],
  'config.contextNotFound': ['Docker context "{name}" was not found ({path}).', '找不到 Docker 上下文“{name}”（{path}）。'],
  'config.noEndpoint': ['Docker context "{name}" has no docker endpoint.', 'Docker 上下文“{name}”没有 docker 端点。'],
  'config.notAddress': [
    '"{address}" is not an engine address (expected unix://, tcp://, ssh:// or npipe://).',
    '“{address}”不是引擎地址（应为 unix://、tcp://、ssh:// 或 npipe://）。',
  ],
  'config.badSsh': [
    '"{address}" is not an ssh address the docker CLI accepts (ssh://[user@]host[:port], no path or password).',
    '“{address}”不是 docker CLI 接受的 ssh 地址（格式为 ssh://user@host:port，不能带路径或密码）。',
  ],
  'config.badScheme': [
    '"{address}": unsupported scheme {scheme}:// (expected unix://, tcp://, ssh:// or npipe://).',
    '“{address}”：不支持的协议 {scheme}://（应为 unix://、tcp://、ssh:// 或 npipe://）。',
  ],

  // Archive formats and backup records
  'format.unknown': ['Unknown archive format "{format}" (expected {expected}).', '未知的归档格式“{format}”（应为 {expected}）。'],
  'format.noZstdUse': ['This Node.js ({version}) has no zstd support; use tar or tar.gz.', '此 Node.js（{version}）不支持 zstd，请使用 tar 或 tar.gz。'],
  'format.noZstd': ['This Node.js ({version}) has no zstd support.', '此 Node.js（{version}）不支持 zstd。'],
  'sidecar.notJson': ['{file} is not valid JSON.', '{file} 不是有效的 JSON。'],
  'sidecar.notOurs': ['{file} is not a Container Volumes backup description.', '{file} 不是 Container Volumes 的备份说明文件。'],

  // What a restore refuses to write
  'tar.entry': ['entry', '条目'],
  'tar.linkTarget': ['hard link target of "{name}"', '“{name}”的硬链接目标'],
  'unsafe.nul': ['Unsafe archive: {what} "{name}" contains a NUL byte.', '不安全的归档：{what}“{name}”含有 NUL 字节。'],
  'unsafe.absolute': ['Unsafe archive: {what} "{name}" is an absolute path.', '不安全的归档：{what}“{name}”是绝对路径。'],
  'unsafe.climbs': ['Unsafe archive: {what} "{name}" climbs out with "..".', '不安全的归档：{what}“{name}”借助“..”越出了数据卷。'],
  'unsafe.device': ['Unsafe archive: "{name}" is a device node; device nodes are not restored.', '不安全的归档：“{name}”是设备节点，设备节点不会被恢复。'],
  'unsafe.entryType': ['Unsupported archive entry "{name}" of type {type}.', '不支持的归档条目“{name}”（类型 {type}）。'],
  'unsafe.rootNotFolder': ['Unsafe archive: the root entry "{name}" is a {type}, not a folder.', '不安全的归档：根条目“{name}”是{type}，不是文件夹。'],
  'entryType.file': ['file', '文件'],
  'entryType.symlink': ['symbolic link', '符号链接'],
  'entryType.link': ['hard link', '硬链接'],
  'entryType.fifo': ['FIFO', '命名管道（FIFO）'],
  'entryType.other': ['{type} entry', '{type} 条目'],
  'unsafe.linkToRoot': ['Unsafe archive: hard link "{name}" points at the archive root.', '不安全的归档：硬链接“{name}”指向归档的根。'],
  'unsafe.throughSymlink': ['Unsafe archive: "{name}" is written through the symlink "{symlink}".', '不安全的归档：“{name}”会经由符号链接“{symlink}”写入。'],
  'unsafe.linkThroughSymlink': [
    'Unsafe archive: "{name}" is a hard link through the symlink "{symlink}".',
    '不安全的归档：“{name}”是经由符号链接“{symlink}”的硬链接。',
  ],

  // Reading tar
  'tar.paxRecord': ['Invalid tar header: a pax record is malformed.', 'tar 头无效：某条 pax 记录格式错误。'],
  'tar.paxNumber': ['Invalid tar header: the pax record {field} is not a number.', 'tar 头无效：pax 记录 {field} 不是数字。'],
  'tar.truncatedInEntry': ['The archive is truncated (it ends in the middle of an entry).', '归档不完整（在某个条目中间结束）。'],
  'tar.truncatedNoEnd': ['The archive is truncated (its end-of-archive marker is missing).', '归档不完整（缺少归档结束标记）。'],
  'tar.truncatedAfterExtended': [
    'The archive is truncated (it ends after an extended header, before its entry).',
    '归档不完整（在扩展头之后、条目之前结束）。',
  ],
  'tar.metaTooBig': ['Invalid tar header: a {flag} header of {size|byte|bytes}.', 'tar 头无效：{flag} 头长达 {size} 字节。'],
  'tar.checksum': ["Invalid tar header: the checksum of entry {n}'s header does not match", 'tar 头无效：第 {n} 个条目的头校验和不匹配'],
  'tar.sizeField': ['Invalid tar header: its size field is not a number.', 'tar 头无效：大小字段不是数字。'],
  'tar.numberField': ['Invalid tar header: a number field of entry {n} is malformed.', 'tar 头无效：第 {n} 个条目的某个数字字段格式错误。'],
  'tar.paxMtime': ['Invalid tar header: the pax mtime of "{name}" is malformed.', 'tar 头无效：“{name}”的 pax 修改时间格式错误。'],
  'tar.multiVolume': [
    '"{name}" continues a file from the previous volume of a multi-volume archive; restore the whole set with GNU tar.',
    '“{name}”接续多卷归档中上一卷的文件；请用 GNU tar 恢复整套归档。',
  ],
  'tar.nameList': ['"{name}" is an old GNU name-list entry (type N), which is not supported.', '“{name}”是旧式 GNU 名称列表条目（类型 N），不受支持。'],
  'tar.unknownType': [
    '"{name}": unknown file type \'{flag}\', extracted as a normal file (as GNU tar does).',
    '“{name}”：未知文件类型“{flag}”，已按普通文件解出（与 GNU tar 相同）。',
  ],
  'tar.sparseNotFile': ['Invalid tar header: "{name}" has a sparse map but is not a file.', 'tar 头无效：“{name}”有稀疏映射，却不是文件。'],
  'tar.sparseFormat': ['"{name}" is a sparse file of format {version}, which is not supported.', '“{name}”是 {version} 格式的稀疏文件，不受支持。'],
  'tar.sparseMissing': ['Invalid tar header: the sparse map of "{name}" is missing.', 'tar 头无效：缺少“{name}”的稀疏映射。'],
  'tar.sparseMalformed': ['Invalid tar header: the sparse map of "{name}" is malformed.', 'tar 头无效：“{name}”的稀疏映射格式错误。'],
  'tar.sparseSegments': ['"{name}" has more than {max|sparse segment|sparse segments}.', '“{name}”的稀疏段超过 {max} 个。'],
  'tar.sparseMismatch': [
    'Invalid tar header: the sparse map of "{name}" does not match its data ({mapped|byte|bytes} mapped, {stored} stored).',
    'tar 头无效：“{name}”的稀疏映射与其数据不符（映射 {mapped} 字节，实际存储 {stored} 字节）。',
  ],
  'plan.before1970Fraction': [
    '"{name}" is dated before 1970 with a fraction of a second, which neither the engine nor busybox can set exactly.',
    '“{name}”的时间早于 1970 年且带有不足一秒的部分，引擎和 busybox 都无法精确设置。',
  ],
  'plan.before1970Many': [
    '"{name}" is dated before 1970, and the entries so dated are too many, or not named in UTF-8, to be dated after the engine\'s extraction.',
    '“{name}”的时间早于 1970 年，而这样的条目太多或名称不是 UTF-8，无法在引擎解出后再设置时间。',
  ],

  // Verifying a backup
  plain: ['{detail}', '{detail}'],
  'verify.unsupported': ['Unsupported archive: {detail}', '不支持的归档：{detail}'],
  'verify.corrupt': ['The archive is corrupted: {detail}', '归档已损坏：{detail}'],
  'verify.compressedTruncated': ['The {format} archive is truncated (the compressed stream ends early).', '{format} 归档不完整（压缩流提前结束）。'],
  'verify.compressedCorrupt': ['The {format} archive is corrupted ({detail}).', '{format} 归档已损坏（{detail}）。'],
  'verify.unreadable': ['The archive cannot be read: {detail}', '无法读取归档：{detail}'],
  'verify.bytes': ['The archive has {bytes|byte|bytes}; the record says {recorded}.', '归档有 {bytes} 字节，而记录的是 {recorded} 字节。'],
  'verify.entries': ['The archive has {entries|entry|entries}; the record says {recorded}.', '归档有 {entries} 个条目，而记录的是 {recorded} 个。'],
  'verify.contentBytes': [
    'The archive holds {bytes|byte|bytes} of file data; the record says {recorded}.',
    '归档中的文件数据有 {bytes} 字节，而记录的是 {recorded} 字节。',
  ],
  'verify.sha256': [
    "The archive's sha256 ({got}…) differs from the one recorded at backup ({recorded}…): the file was changed or damaged.",
    '归档的 sha256（{got}…）与备份时记录的（{recorded}…）不同：文件已被修改或损坏。',
  ],
  'verify.failed': ['{file}: {problems}', '{file}：{problems}'],

  // Restoring
  'error.and': ['{first} {then}', '{first}{then}'],
  'volume.badName': ['"{name}" is not a valid volume name.', '“{name}”不是有效的数据卷名称。'],
  'container.notFound': ['There is no container named "{name}".', '没有名为“{name}”的容器。'],
  'volume.notFound': ['There is no volume named "{name}".', '没有名为“{name}”的数据卷。'],
  'modes.lost': [
    "{count|file|files} lost their setuid/setgid bit in the engine's upload ({names}); set containerVolumes.helperImage to an image with a shell to keep them.",
    '{count} 个文件在引擎上传时丢失了 setuid/setgid 位（{names}）；要保留这些位，请将 containerVolumes.helperImage 设置为带 shell 的镜像。',
  ],
  'modes.overflow': [
    'More than {max|setuid/setgid file|setuid/setgid files}: only the first {max} kept their bits.',
    'setuid/setgid 文件超过 {max} 个：只有前 {max} 个保留了这些位。',
  ],
  'restore.noFile': ['{file} does not exist or is not a file.', '{file} 不存在或不是文件。'],
  'restore.refused': ['Nothing was restored: {problems}', '未恢复任何内容：{problems}'],
  'restore.notUnder': [
    'Not every entry of the archive sits under "{prefix}/" (the common folder is "{found}").',
    '归档中并非所有条目都位于“{prefix}/”下（共同的文件夹是“{found}”）。',
  ],
  'restore.notUnderRoot': [
    'Not every entry of the archive sits under "{prefix}/" (the entries have no common folder).',
    '归档中并非所有条目都位于“{prefix}/”下（这些条目没有共同的文件夹）。',
  ],
  'restore.layoutNote': [
    'Every entry of this archive sits under "{folder}/" (the layout of `tar cf backup.tar /{folder}`): its contents were restored to the volume\'s root.',
    '此归档的所有条目都位于“{folder}/”下（即 `tar cf backup.tar /{folder}` 的布局）：其内容已恢复到数据卷的根目录。',
  ],
  'restore.emptyNeedsShell': [
    'Volume "{volume}" is used by containers, and emptying it needs a helper image with a shell (setting containerVolumes.helperImage).',
    '数据卷“{volume}”正被容器使用，清空它需要带 shell 的辅助镜像（设置 containerVolumes.helperImage）。',
  ],
  'restore.emptyImageMissing': [
    'Volume "{volume}" is used by containers, and emptying it needs a helper image with a shell (the image "{image}" is not on this engine): set containerVolumes.helperImage (CLI: --helper-image).',
    '数据卷“{volume}”正被容器使用，清空它需要带 shell 的辅助镜像（此引擎上没有镜像“{image}”）：请设置 containerVolumes.helperImage（命令行：--helper-image）。',
  ],
  'restore.emptyNoImage': [
    'Volume "{volume}" is used by containers, and emptying it needs a helper image with a shell: set containerVolumes.helperImage (CLI: --helper-image).',
    '数据卷“{volume}”正被容器使用，清空它需要带 shell 的辅助镜像：请设置 containerVolumes.helperImage（命令行：--helper-image）。',
  ],
  'restore.archiveChanged': ['The archive changed while it was being restored.', '归档在恢复过程中被修改了。'],
  'restore.before1970': [
    "Nothing was restored: {count|entry is|entries are} dated before 1970, which the engine's extraction sets to 1970; setting them afterwards needs an image with a shell (setting containerVolumes.helperImage, CLI: --helper-image).",
    '未恢复任何内容：有 {count} 个条目的时间早于 1970 年，引擎解出时会把它们设为 1970 年；事后再设置时间需要带 shell 的镜像（设置 containerVolumes.helperImage，命令行：--helper-image）。',
  ],
  'restore.ownersChanged': [
    "The engine did not keep the archive's owners on {count|entry|entries} (path: wanted uid:gid -> stored): {examples}. Most likely these ids lie outside the range the engine's user namespace maps (a rootless engine maps only the user's subordinate ids, see /etc/subuid); restore on an engine that maps them, or change the owners in the archive.",
    '引擎没有保留归档中 {count} 个条目的文件所有者（路径：应为 uid:gid -> 实际存储）：{examples}。最可能的原因是这些 id 超出了引擎用户命名空间映射的范围（rootless 引擎只映射该用户的从属 id，见 /etc/subuid）；请在能映射这些 id 的引擎上恢复，或修改归档中的所有者。',
  ],
  'restore.ownerListing': ["The helper's listing of the volume's owners could not be read ({detail}).", '无法读取辅助容器列出的数据卷文件所有者（{detail}）。'],
  'restore.podmanOwners': [
    'The engine is Podman, whose archive endpoint stores every file as owned by root, and no helper image with tar is on it to write the volume instead: the data, modes and times were restored, but not the owners.',
    '该引擎是 Podman，它的归档接口把所有文件都存为 root 所有，且其上没有带 tar 的辅助镜像可改为写入该数据卷：数据、权限和时间已恢复，但文件所有者没有恢复。',
  ],
  'restore.noTouchImage': ['No image to set the times with.', '没有可用来设置时间的镜像。'],
  'restore.notEmpty': [
    'Volume "{volume}" is not empty: nothing was restored. Restore into a new volume, or replace its contents (a safety backup is taken first).',
    '数据卷“{volume}”不为空：未恢复任何内容。请恢复到新数据卷，或替换其内容（会先做一次安全备份）。',
  ],
  'restore.inUse': [
    'Volume "{volume}" is in use by running containers ({containers}): stop them, or let the restore stop and restart them.',
    '数据卷“{volume}”正被运行中的容器（{containers}）使用：请先停止它们，或让恢复操作停止并重新启动它们。',
  ],
  'restore.cancelledRemoved': ['The restore was cancelled; the new volume was removed.', '恢复已取消，新建的数据卷已删除。'],
  'restore.rolledBack': [
    "{why} The volume's previous contents were put back from the safety backup {file}.",
    '{why}数据卷原来的内容已从安全备份 {file} 放回。',
  ],
  'restore.rollBackFailed': [
    '{why} Putting the previous contents back failed too ({detail}): they are in the safety backup {file}.',
    '{why}放回原来的内容也失败了（{detail}）：它们保存在安全备份 {file} 中。',
  ],
  'restore.noVolumeAt': ['Container "{container}" has no volume mounted at {path}.', '容器“{container}”在 {path} 处没有挂载数据卷。'],
  'restore.readOnlyMount': [
    'The mount {path} of "{container}" is read-only: nothing can be restored through it (restore into volume "{volume}" itself if you mean to).',
    '“{container}”的挂载 {path} 是只读的：无法通过它恢复任何内容（如确有此意，请直接恢复到数据卷“{volume}”）。',
  ],

  // Progress
  'progress.checkingArchive': ['Checking the archive', '正在检查归档'],
  'progress.safetyBackup': ['Safety backup of {volume} to {file}', '正在将 {volume} 安全备份到 {file}'],
  'progress.emptying': ['Emptying {volume}', '正在清空 {volume}'],
  'progress.restoring': ['Restoring into {volume}', '正在恢复到 {volume}'],
  'progress.reading': ['Reading {volume}', '正在读取 {volume}'],
  'progress.backupDone': ['Backup complete', '备份完成'],
  'progress.copying': ['Copying {volume}', '正在复制 {volume}'],
  'progress.copyingTo': ['Copying {volume} to {host}', '正在将 {volume} 复制到 {host}'],
  'progress.verifyingOn': ['Verifying {volume} on {host}', '正在 {host} 上校验 {volume}'],
  'progress.stopping': ['Stopping {container}', '正在停止 {container}'],
  'progress.starting': ['Starting {container} again', '正在重新启动 {container}'],

  // Backing up and cloning
  'stop.restartFailed': ['{container}: {detail}', '{container}：{detail}'],
  'stop.couldNotStart': ['Could not start again: {errors}', '无法重新启动：{errors}'],
  'backup.podmanOwners': [
    'The engine is Podman, whose archive endpoint gives every file as owned by root, and no helper image with tar is on it to read the volume instead: this backup has the data, modes and times, but not the owners.',
    '该引擎是 Podman，它的归档接口给出的所有文件都属于 root，且其上没有带 tar 的辅助镜像可改为读取该数据卷：此备份包含数据、权限和时间，但不包含文件所有者。',
  ],
  'backup.rootPath': ['Give the path of a mount inside the container, not "/".', '请给出容器内某个挂载的路径，而不是“/”。'],
  'backup.noMountAt': ['Container "{container}" has no volume or bind mount at {path}.', '容器“{container}”在 {path} 处没有数据卷或绑定挂载。'],
  'backup.noData': [
    'The mount at {path} is a {type}: only volumes and bind mounts hold data to back up.',
    '{path} 处是{type}：只有数据卷和绑定挂载中有可备份的数据。',
  ],
  // A mount's type, as a noun phrase (the engine's word for it when we have none)
  'mountType.volume': ['volume', '数据卷'],
  'mountType.bind': ['bind mount', '绑定挂载'],
  'mountType.tmpfs': ['tmpfs mount', 'tmpfs 挂载'],
  'mountType.npipe': ['named pipe mount', '命名管道挂载'],
  'mountType.other': ['{type} mount', '{type} 挂载'],
  'backup.noFolder': ['The folder {folder} does not exist.', '文件夹 {folder} 不存在。'],
  'backup.fileExists': ['{file} already exists (choose another name, or overwrite).', '{file} 已存在（请换一个名称，或选择覆盖）。'],
  'backup.writtenDiffers': [
    'What was written reads back as {entries|entry|entries} with {bytes|byte|bytes} of file data, but the engine sent {sent} with {sentBytes}.',
    '写入的内容读回为 {entries} 个条目、{bytes} 字节文件数据，但引擎发送的是 {sent} 个条目、{sentBytes} 字节。',
  ],
  'backup.helperTarInvalid': ['The backup made by tar in the helper is not valid: {problems}', '辅助容器中 tar 生成的备份无效：{problems}'],
  'backup.engineTruncated': [
    'The archive the engine sent for {volume} is truncated: most likely a file changed size while it was read (a running container writing to the volume). Nothing was saved; back up with the containers stopped for a consistent copy.',
    '引擎发送的 {volume} 归档不完整：很可能是读取时有文件的大小发生了变化（有运行中的容器正在写入该数据卷）。未保存任何内容；请在停止容器后备份，以得到一致的副本。',
  ],
  'copy.sameEngineAlias': [
    '{source} and {target} are two addresses of the same engine (ID {id}): use Clone to copy a volume on one engine.',
    '{source} 和 {target} 是同一个引擎（ID {id}）的两个地址：在同一引擎内复制数据卷请使用“克隆”。',
  ],
  'copy.fromPodman': [
    '{host} is Podman, whose archive endpoint gives every file as owned by root: a copy from it would lose the owners, so it is refused. Back the volume up on Podman and restore the backup instead.',
    '{host} 是 Podman，它的归档接口给出的所有文件都属于 root：从它复制会丢失文件所有者，因此拒绝执行。请改为在 Podman 上备份该数据卷，再恢复该备份。',
  ],
  'copy.sameEngine': [
    'The source and the target are the same engine ({host}): use Clone to copy a volume on one engine.',
    '源和目标是同一个引擎（{host}）：在同一引擎内复制数据卷请使用“克隆”。',
  ],
  'copy.targetExists': [
    'Volume "{volume}" already exists on the target engine and is not empty (or a container uses it): nothing was copied. Choose another name.',
    '目标引擎上已有数据卷“{volume}”且不为空（或正被容器使用）：未复制任何内容。请换一个名称。',
  ],
  'copy.moveInUse': [
    'Volume "{volume}" is used by {containers}: a move removes the source, so nothing was copied. Remove those containers first, or copy instead.',
    '数据卷“{volume}”正被 {containers} 使用：移动会删除源数据卷，因此未复制任何内容。请先删除这些容器，或改用复制。',
  ],
  'copy.sourceKept': [
    'The copy is done and verified, but "{volume}" was kept on the source engine: {containers} started using it meanwhile.',
    '复制已完成并通过校验，但源引擎上的“{volume}”被保留：{containers} 在此期间开始使用它。',
  ],
  'copy.mismatch': [
    'The copy of "{volume}" on {host} differs from the source (entries / bytes / hash sent {sent}, found {got}): it was removed.',
    '{host} 上“{volume}”的副本与源不一致（发送的条目数 / 字节数 / 哈希为 {sent}，读回为 {got}）：副本已删除。',
  ],
  'copy.listingUnreadable': [
    'The listing of the copy made on the target engine could not be read ({what}, at byte {at}).',
    '无法读取目标引擎上生成的副本清单（{what}，位于第 {at} 字节）。',
  ],
  'clone.sameName': ['The clone needs a new name.', '克隆需要一个新名称。'],
  'clone.exists': ['Volume "{volume}" already exists: a clone always goes into a new volume.', '数据卷“{volume}”已存在：克隆总是写入新的数据卷。'],
  'clone.podmanOwners': [
    "The engine is Podman, whose archive endpoints give and store every file as owned by root, and no helper image with tar is on it to copy the volume instead: the clone has the data, modes and times, but every file is root's.",
    '该引擎是 Podman，它的归档接口读写的所有文件都属于 root，且其上没有带 tar 的辅助镜像可改为复制该数据卷：克隆包含数据、权限和时间，但所有文件都属于 root。',
  ],
  'clone.sourceEnded': ['The source stream ended early: the clone is incomplete.', '源数据流提前结束：克隆不完整。'],

  // Volumes and containers
  'volume.nameRequired': ['A volume name is required.', '需要数据卷名称。'],
  'volume.nameRule': [
    '"{name}" is not a valid volume name: use at least two of letters, digits, "_", "." and "-", starting with a letter or digit.',
    '“{name}”不是有效的数据卷名称：请使用至少两个字母、数字、“_”、“.”或“-”，并以字母或数字开头。',
  ],
  'volume.exists': ['A volume named "{name}" already exists.', '名为“{name}”的数据卷已存在。'],
  'volume.inUse': [
    'Volume "{name}" is in use by a container (running or stopped): remove the container first.',
    '数据卷“{name}”正被某个容器（运行中或已停止）使用：请先删除该容器。',
  ],
  'migrate.noImage': ['Image "{image}" is not on this engine: pull or build it first.', '此引擎上没有镜像“{image}”：请先拉取或构建。'],

  // Volume locks
  'lock.busy': ['Volume "{volume}" is busy: {holder}; nothing was changed.', '数据卷“{volume}”正忙：{holder}；未做任何更改。'],
  'lock.holder': ['{operation} by {app} (pid {pid}) on {host} since {since}', '{app}（pid {pid}，主机 {host}）自 {since} 起正在进行：{operation}'],
  'lockOp.backup': ['backup to {file}', '备份到 {file}'],
  'lockOp.restore': ['restore of {file}', '恢复 {file}'],
  'lockOp.clone': ['clone of "{source}" into "{target}"', '将“{source}”克隆到“{target}”'],
  'lockOp.copy': ['copy of "{source}" to {host}', '将“{source}”复制到 {host}'],
  'lockOp.move': ['move of "{source}" to {host}', '将“{source}”移动到 {host}'],
  'lockOp.removal': ['removal', '删除'],
  'lockOp.unknown': ['an operation', '某项操作'],
  'lockApp.cli': ['the CLI', '命令行工具'],
  'lockApp.window': ['VS Code window "{name}"', 'VS Code 窗口“{name}”'],
  'lockApp.windowUnnamed': ['a VS Code window', '一个 VS Code 窗口'],
  'lockApp.process': ['a container-volumes process', '一个 container-volumes 进程'],
  'lockApp.unknown': ['another process', '另一个进程'],
  'lock.reading': ['{operation} (reading it)', '{operation}（读取中）'],
  'lock.inTheWay': [
    'A container named "{name}" that is not one of our locks is in the way: remove or rename it.',
    '有一个名为“{name}”的容器挡住了去路，它不是我们的锁：请删除或重命名它。',
  ],
  'lock.lost': ['The operation stopped: {why}. {detail}', '操作已停止：{why}。{detail}'],
  'lock.broken': [
    'its lock on volume "{volume}" was broken by another process (this one had stalled longer than its {seconds} s lease)',
    '它对数据卷“{volume}”的锁被另一个进程打破（本进程停顿的时间超过了 {seconds} 秒的租期）',
  ],
  'lock.notRenewed': ['its lock on volume "{volume}" could not be renewed ({detail})', '它对数据卷“{volume}”的锁无法续期（{detail}）'],
  'lock.oneVolume': ['volume "{volume}"', '数据卷“{volume}”'],
  'lock.volumes': ['volumes {volumes}', '数据卷 {volumes}'],
  'lock.createdMeanwhile': [
    'Volume "{volume}" was created by someone else meanwhile: nothing was written to it.',
    '数据卷“{volume}”在此期间已被他人创建：未向其写入任何内容。',
  ],
  'progress.waitingFor': ['Waiting for {holder} (volume "{volume}")…', '正在等待：{holder}（数据卷“{volume}”）…'],

  // Helper containers
  'work.disposed': ['The work helpers were disposed.', '工作辅助容器已被释放。'],
  'work.noRoot': ['The engine does not say where its volumes are.', '引擎没有告知其数据卷所在的位置。'],
  'work.noImage': [
    'No local image has sh, tar and cp for the fast path (setting containerVolumes.helperImage).',
    '本地没有带 sh、tar 和 cp 的镜像可走快速路径（设置 containerVolumes.helperImage）。',
  ],
  'work.notStarted': ['A work helper could not be started: {detail}', '无法启动工作辅助容器：{detail}'],
  'work.commandFailed': ['{command} in the helper failed (exit {code}): {output}', '辅助容器中的 {command} 失败（退出码 {code}）：{output}'],
  'execTar.undatable': [
    'busybox tar in the helper dates neither folders nor symlinks, and this stream has more than {max} of them, or names that are not UTF-8, to date afterwards. Set containerVolumes.helperImage to an image with GNU tar.',
    '辅助容器中的 busybox tar 不会设置文件夹和符号链接的时间，而此数据流中这类条目超过 {max} 个，或有非 UTF-8 的名称，无法在之后补设。请将 containerVolumes.helperImage 设为带 GNU tar 的镜像。',
  ],
  'helper.failed': ['The {purpose} helper failed (exit {code}): {output}', '{purpose} 辅助容器失败（退出码 {code}）：{output}'],
  'engine.eventsClosed': ['The engine closed the event stream.', '引擎关闭了事件流。'],
  'hash.failed': ['Hashing failed.', '计算哈希失败。'],
  'hash.failedWhy': ['Hashing failed: {detail}', '计算哈希失败：{detail}'],
  'hash.exited': ['The hashing thread exited ({code}).', '哈希计算线程已退出（{code}）。'],
  'engine.targetReadOnly': ['The target is read-only: {detail}', '目标是只读的：{detail}'],

  // Files in a volume (the path comes first: "/logs/a.txt: no such file")
  'fs.error': ['{path}: {reason}', '{path}：{reason}'],
  'fs.op.delete': ['delete', '删除'],
  'fs.op.rename': ['rename', '重命名'],
  'fs.op.copy': ['copy', '复制'],
  'fs.op.list': ['listing the files', '列出文件'],
  'fs.op.search': ['searching the files', '搜索文件'],
  'fs.op.diskUsage': ['measuring disk usage', '统计磁盘用量'],
  'fs.readOnly': ['the volume is mounted read-only', '数据卷以只读方式挂载'],
  'fs.noSuchEntry': ['no such file or directory', '没有这个文件或文件夹'],
  'fs.noSuchFile': ['no such file', '没有这个文件'],
  'fs.noSuchFolder': ['no such folder', '没有这个文件夹'],
  'fs.noSuchFolderWhy': ['no such folder ({detail})', '没有这个文件夹（{detail}）'],
  'fs.isFolder': ['is a directory', '是文件夹'],
  'fs.notFolder': ['not a folder', '不是文件夹'],
  'fs.exists': ['file exists', '文件已存在'],
  'fs.parentNotFolder': ['the parent is not a folder', '上级不是文件夹'],
  'fs.noParent': ['the parent folder does not exist', '上级文件夹不存在'],
  'fs.noFolder': ['the folder does not exist', '文件夹不存在'],
  'fs.folderNotEmpty': ['the folder is not empty', '文件夹不为空'],
  'fs.emptyArchive': ['the engine sent an empty archive', '引擎发送了空的归档'],
  'fs.noStatHeader': ['the engine sent no stat header', '引擎没有发送文件状态头'],
  'fs.notRegular': ['not a regular file', '不是普通文件'],
  'fs.brokenLink': ['broken symbolic link', '符号链接已失效'],
  'fs.linkLoop': ['too many levels of symbolic links', '符号链接层级过多'],
  'fs.linkOutside': ['the symbolic link points outside the volume', '符号链接指向数据卷之外'],
  'fs.rootDelete': ['the root of a volume cannot be deleted', '不能删除数据卷的根目录'],
  'fs.rootMove': ['the root of a volume cannot be the subject of a {op}', '不能对数据卷的根目录执行{op}'],
  'fs.intoItself': ['cannot {op} a folder into itself', '不能将文件夹{op}到其自身之中'],
  'fs.replaceSource': ['cannot replace a folder that holds the source of the {op}', '不能替换包含{op}来源的文件夹'],
  'fs.same': ['source and target are the same', '源与目标相同'],
  'fs.nul': ['a path cannot contain NUL', '路径中不能含有 NUL'],
  'fs.noVolume': ['volume "{volume}" does not exist', '数据卷“{volume}”不存在'],
  'fs.unexpectedOutput': ['unexpected {what} output: {output}', '{what} 的输出不符合预期：{output}'],
  'fs.unparsable': ['cannot parse the {what} output near {near}', '无法解析 {what} 在 {near} 附近的输出'],
  'fs.badTime': ['cannot parse the time "{time}"', '无法解析时间“{time}”'],
  'fs.listTooBig': [
    'listing this folder without a helper image would transfer its whole contents (over {mib} MiB); set containerVolumes.helperImage to an image with sh, find and stat (busybox or alpine)',
    '没有辅助镜像时列出此文件夹会传输其全部内容（超过 {mib} MiB）；请将 containerVolumes.helperImage 设置为带 sh、find 和 stat 的镜像（busybox 或 alpine）',
  ],
  'fs.changedWhileRead': [
    'the file changed while it was read ({got} of {size|byte|bytes}); try again',
    '文件在读取时发生了变化（已读 {got} 字节，共 {size} 字节）；请重试',
  ],
  'fs.needsShell': [
    '{op} needs a helper image with a shell (set containerVolumes.helperImage, e.g. busybox or alpine)',
    '{op}需要带 shell 的辅助镜像（请设置 containerVolumes.helperImage，例如 busybox 或 alpine）',
  ],
  'fs.commandFailed': ['the command failed', '命令执行失败'],
  'fs.tooDeep': ['folders nested too deep to copy (a cycle of links?)', '文件夹嵌套过深，无法复制（链接成环？）'],
  'fs.specialFile': ['a special file (pipe, socket or device) cannot be copied to another volume', '特殊文件（管道、套接字或设备）不能复制到另一个数据卷'],
  'fs.searchEmpty': ['the search text is empty', '搜索文本为空'],
  'fs.searchLineBreak': ['the search text cannot hold a line break (lines are searched one by one)', '搜索文本不能含有换行（按行逐一搜索）'],
  'fs.unbalanced': ['the regular expression "{pattern}" has unbalanced parentheses', '正则表达式“{pattern}”的括号不配对'],
  'fs.opFailed': ['{op} failed: {detail}', '{op}失败：{detail}'],
  'fs.duFailed': ['disk usage failed (the helper image needs du)', '统计磁盘用量失败（辅助镜像需要 du）'],
  'fs.duFailedWhy': ['disk usage failed: {detail} (the helper image needs du)', '统计磁盘用量失败：{detail}（辅助镜像需要 du）'],
  // The command line (container-volumes)
  'cli.needsValue': ['{option} needs a value', '{option} 需要一个值'],
  'cli.unknownOption': ['unknown option {option}', '未知选项 {option}'],
  'cli.optionNotApplicable': [
    '{command}: option {option} does not apply (see container-volumes {command} --help)',
    '{command}：选项 {option} 不适用（参见 container-volumes {command} --help）',
  ],
  'cli.argumentCount': [
    '{command}: expected {expected} argument(s), got {got} (see container-volumes {command} --help)',
    '{command}：需要 {expected} 个参数，实际为 {got} 个（参见 container-volumes {command} --help）',
  ],
  'cli.relativeMountPath': [
    '"{arg}": the path after ":" must be absolute (e.g. log_home:/logs)',
    '“{arg}”：“:”之后的路径必须是绝对路径（例如 log_home:/logs）',
  ],
  'cli.noCommand': ['a command is needed (try container-volumes --help)', '需要一个命令（试试 container-volumes --help）'],
  'cli.noArguments': ['{command} takes no arguments', '{command} 不接受参数'],
  'cli.unknownCommand': ['unknown command "{command}" (try container-volumes --help)', '未知命令“{command}”（试试 container-volumes --help）'],
  'cli.nameAndText': ['find: --name and --text exclude each other', 'find：--name 与 --text 不能同时使用'],
  'cli.textOptions': [
    'find: --regex, --case-sensitive, --word, --include, --exclude and --max apply to --text',
    'find：--regex、--case-sensitive、--word、--include、--exclude 和 --max 只适用于 --text',
  ],
  'cli.emptyPattern': ['find: the pattern is empty', 'find：搜索模式为空'],
  'cli.wholeNumber': ['{option} needs a whole number (got "{value}")', '{option} 需要一个整数（收到的是“{value}”）'],
  'cli.findNeedsShell': [
    'find needs a helper image with sh, find and grep on the engine (--helper-image; none is pulled)',
    'find 需要引擎上有带 sh、find 和 grep 的辅助镜像（--helper-image；不会自动拉取）',
  ],
  'cli.duNeedsShell': [
    'du needs a helper image with sh, find and du on the engine (--helper-image; none is pulled)',
    'du 需要引擎上有带 sh、find 和 du 的辅助镜像（--helper-image；不会自动拉取）',
  ],
  'cli.waiting': ['waiting: volume "{volume}" is busy: {holder}', '等待中：数据卷“{volume}”正忙：{holder}'],
  'cli.busyWait': [
    'Volume "{volume}" is busy: {holder}; nothing was changed (--wait waits for it).',
    '数据卷“{volume}”正忙：{holder}；未做任何更改（加 --wait 可等待其结束）。',
  ],
  'cli.verified': [
    'ok: {entries|entry|entries}, {bytes|byte|bytes} of file data, sha256 {sha256} (matches the backup record)',
    '正常：{entries} 个条目，文件共 {bytes} 字节，sha256 {sha256}（与备份记录一致）',
  ],
  'cli.verifiedNoRecord': [
    'ok: {entries|entry|entries}, {bytes|byte|bytes} of file data, sha256 {sha256} (no backup record to compare with)',
    '正常：{entries} 个条目，文件共 {bytes} 字节，sha256 {sha256}（没有可对照的备份记录）',
  ],
  'cli.colVolume': ['VOLUME', '数据卷'],
  'cli.colDriver': ['DRIVER', '驱动'],
  'cli.colUsedBy': ['USED BY', '使用者'],
  'cli.unused': ['(unused)', '（未使用）'],
  'cli.busy': ['[busy: {holder}]', '［忙：{holder}］'],
  'cli.warning': ['warning: {text}', '警告：{text}'],
  'cli.note': ['note: {text}', '说明：{text}'],
  'cli.backedUp': [
    '{file}: {entries|entry|entries} ({method}), {bytes|byte|bytes}, sha256 {sha256}',
    '{file}：{entries} 个条目（{method}），{bytes} 字节，sha256 {sha256}',
  ],
  'cli.backedUpStopped': [
    '{file}: {entries|entry|entries} ({method}), {bytes|byte|bytes}, sha256 {sha256} (stopped and restarted: {containers})',
    '{file}：{entries} 个条目（{method}），{bytes} 字节，sha256 {sha256}（已停止并重新启动：{containers}）',
  ],
  'cli.volume': ['{volume}', '数据卷 {volume}'],
  'cli.newVolume': ['the new volume {volume}', '新数据卷 {volume}'],
  'cli.restored': ['restored {entries|entry|entries} into {into}', '已将 {entries} 个条目恢复到{into}'],
  'cli.restoredSafety': ['restored {entries|entry|entries} into {into} (safety backup: {file})', '已将 {entries} 个条目恢复到{into}（安全备份：{file}）'],
  'cli.copied': [
    'copied {source} to {volume} on {host} ({entries|entry|entries}, {bytes|byte|bytes}, verified on both engines: sha256 {sha256})',
    '已将 {source} 复制到 {host} 上的 {volume}（{entries} 个条目，{bytes} 字节，两个引擎上均已校验：sha256 {sha256}）',
  ],
  'cli.moved': [
    'moved {source} to {volume} on {host} ({entries|entry|entries}, {bytes|byte|bytes}, verified on both engines: sha256 {sha256}); the source was removed',
    '已将 {source} 移动到 {host} 上的 {volume}（{entries} 个条目，{bytes} 字节，两个引擎上均已校验：sha256 {sha256}）；源数据卷已删除',
  ],
  'cli.copyNeedsTo': ['copy needs --to <context|host>: the engine to copy to.', 'copy 需要 --to <context|host>：要复制到的引擎。'],
  'cli.cloned': ['cloned {source} into the new volume {volume} ({entries|entry|entries})', '已将 {source} 克隆到新数据卷 {volume}（{entries} 个条目）'],
  'cli.entries': ['{count|entry|entries}', '{count} 个条目'],
  'cli.biggestFiles': ['biggest files:', '最大的文件：'],
  'cli.notShown': ['{count|more matching line|more matching lines} not printed (--max)', '另有 {count} 行匹配未打印（--max）'],
  'cli.binarySkipped': ['{count|binary file|binary files} skipped', '跳过了 {count} 个二进制文件'],
  // Several volumes at once, and a project's restore
  'set.noVolumes': ['There are no volumes to back up.', '没有要备份的数据卷。'],
  'set.badJobs': [
    'The number of parallel backups must be a whole number of at least 1 (got {jobs}).',
    '同时备份的数量必须是不小于 1 的整数（收到的是 {jobs}）。',
  ],
  'set.badKeep': [
    'The number of backups to keep must be a whole number of at least 1: the newest verified backup is never removed (got {keep}).',
    '保留的备份数必须是不小于 1 的整数：最新的已校验备份永远不会被删除（收到的是 {keep}）。',
  ],
  'set.progress': ['Backing up {count|volume|volumes}', '正在备份 {count} 个数据卷'],
  'set.progressDone': ['Backed up {done} of {total}', '已备份 {done}/{total}'],
  'set.restarting': ['Starting the stopped containers again', '正在重新启动已停止的容器'],
  'set.cancelledKept': [
    'The backup was cancelled; the volumes finished before stay backed up ({files}), nothing else was left behind.',
    '备份已取消；取消前已完成的数据卷备份会保留（{files}），没有留下其他内容。',
  ],
  'set.noFile': ['There is no file {file}.', '没有文件 {file}。'],
  'set.notRecord': ['{file} is not a Container Volumes backup-set record.', '{file} 不是 Container Volumes 的备份集记录。'],
  'set.noRecord': ['There is no backup-set record in {dir}.', '{dir} 中没有备份集记录。'],
  'set.noRecordOfProject': ['There is no backup-set record of project "{project}" in {dir}.', '{dir} 中没有项目“{project}”的备份集记录。'],
  'project.badName': [
    '"{name}" is not a valid Compose project name (lowercase letters, digits, "_" and "-", starting with a letter or digit).',
    '“{name}”不是有效的 Compose 项目名称（只能使用小写字母、数字、“_”和“-”，并以字母或数字开头）。',
  ],
  'project.emptyRecord': ['{file} holds no backed-up volume.', '{file} 中没有已备份的数据卷。'],
  'project.sameTarget': ['Two volumes of the record would both be restored as "{name}".', '记录中有两个数据卷都会被恢复为“{name}”。'],
  'project.archiveMissing': [
    'The archive {file} of volume "{volume}" is missing: nothing was restored.',
    '数据卷“{volume}”的归档 {file} 不存在：未恢复任何内容。',
  ],
  'project.archiveDiffers': [
    'The archive {file} is not the one the record describes (size or sha256 differ): nothing was restored.',
    '归档 {file} 与记录描述的不符（大小或 sha256 不同）：未恢复任何内容。',
  ],
  'project.notEmpty': [
    'Volume "{volume}" already exists and is not empty: nothing was restored. Restore under another project name, or replace (safety backups are taken first).',
    '数据卷“{volume}”已存在且不为空：未恢复任何内容。请以其他项目名称恢复，或选择替换（会先做安全备份）。',
  ],
  'project.running': [
    'Project "{project}" is running ({containers}): nothing was restored. Stop it first, or replace its volumes (its containers are stopped, safety backups taken first).',
    '项目“{project}”正在运行（{containers}）：未恢复任何内容。请先停止它，或替换其数据卷（会先停止其容器并做安全备份）。',
  ],
  'project.progress': ['Restoring {volume} ({n} of {total})', '正在恢复 {volume}（{n}/{total}）'],
  'project.removedCreated': [
    '{error} The volumes this restore had created were removed again ({volumes}).',
    '{error}本次恢复创建的数据卷已再次删除（{volumes}）。',
  ],
  'project.alreadyReplaced': ['{error} Already replaced: {volumes}', '{error}已替换：{volumes}'],
  'project.replacedItem': ['{volume} (its previous contents are in {file}).', '{volume}（其原有内容在 {file} 中）。'],
  'cli.setNeedsTo': ['backup: --to <dir> is needed with --all, --project or several volumes', 'backup：使用 --all、--project 或多个数据卷时需要 --to <目录>'],
  'cli.setExactlyOne': ['backup: give exactly one of --all, --project <name>, or volume names', 'backup：--all、--project <名称> 与数据卷名称只能给出其中一种'],
  'cli.projectNoVolumes': [
    'Project "{project}" has no volumes on this engine (none is labelled {label}).',
    '此引擎上没有项目“{project}”的数据卷（没有带 {label} 标签的数据卷）。',
  ],
  'cli.noVolumes': ['There are no volumes on this engine.', '此引擎上没有数据卷。'],
  'cli.setFailed': ['failed: {volume}: {error}', '失败：{volume}：{error}'],
  'cli.setVolumeDone': ['{volume}: {entries|entry|entries}, {bytes|byte|bytes}', '{volume}：{entries} 个条目，{bytes} 字节'],
  'cli.setSummary': [
    'backed up {done} of {total|volume|volumes} to {dir}{record}{failed}{removed}',
    '已将 {total} 个数据卷中的 {done} 个备份到 {dir}{record}{failed}{removed}',
  ],
  'cli.setRecord': [' (record {file})', '（记录 {file}）'],
  'cli.setFailedList': ['; failed: {volumes}', '；失败：{volumes}'],
  'cli.setRemoved': ['; removed {count|older backup file|older backup files}', '；删除了 {count} 个较旧的备份文件'],
  'cli.projectRestored': ['restored {count|volume|volumes}{project}: {volumes}{safety}', '已恢复 {count} 个数据卷{project}：{volumes}{safety}'],
  'cli.ofProject': [' of project {project}', '（项目 {project}）'],
  'cli.safetyBackups': [' (safety backups: {files})', '（安全备份：{files}）'],
  // Migrations (src/core/operations/migrations): plans, steps, undo, refusals, warnings
  'mig.step.rename': ['rename {from} to {to}', '将 {from} 重命名为 {to}'],
  'mig.step.create': ['create {name} from {image}', '用 {image} 创建 {name}'],
  'mig.step.createFrom': ['create {name} from {image} with --volumes-from {from}', '用 {image} 创建 {name}，并使用 --volumes-from {from}'],
  'mig.step.createVolume': ['create the volume {name}', '创建数据卷 {name}'],
  'mig.step.copy': ['copy {from} into the new volume {to}', '将 {from} 复制到新数据卷 {to}'],
  'mig.step.copyPath': ['copy {path} of {container} into {to}', '将 {container} 的 {path} 复制到 {to}'],
  'mig.step.stop': ['stop {name}', '停止 {name}'],
  'mig.step.start': ['start {name}', '启动 {name}'],
  'mig.step.stopForCopy': ['stop {name}, which writes to what is copied, for the copy', '为复制而停止正在写入被复制数据的 {name}'],
  'mig.step.startAgain': ['start {name} again', '重新启动 {name}'],
  'mig.step.checkStop': ['start {name}, check that it stays up, and stop it again', '启动 {name}，确认它持续运行，然后再次停止'],
  'mig.step.check': ['start {name} and check that it stays up', '启动 {name} 并确认它持续运行'],
  'mig.step.remove': ['remove {name} (its volumes stay)', '删除 {name}（其数据卷保留）'],
  'mig.undo.rename': ['rename {to} back to {from}', '将 {to} 改回 {from}'],
  'mig.undo.removeContainer': ['remove the new {name}', '删除新建的 {name}'],
  'mig.undo.removeVolume': ['remove the new volume {name}', '删除新建的数据卷 {name}'],
  'mig.undo.start': ['start {name} again', '重新启动 {name}'],
  'mig.undo.stop': ['stop {name}', '停止 {name}'],
  'mig.undoing': ['Undoing', '正在撤销'],
  'mig.undoFailure': ['{what} ({detail})', '{what}（{detail}）'],
  'mig.reason': ['{detail}', '{detail}'],
  'mig.rolledBack': ['{reason} {title} was undone: everything is as it was before.', '{reason}已撤销“{title}”，一切都恢复原样。'],
  'mig.rolledBackLeft': [
    '{reason} Undoing this ({title}) left things to fix by hand: {failures}.',
    '{reason}撤销“{title}”后仍有需要手动处理的问题：{failures}。',
  ],
  'mig.failureList': ['{all}; {next}', '{all}；{next}'],
  'mig.noRef': ['The plan refers to a container that was not created ({ref}).', '计划引用了一个未创建的容器（{ref}）。'],
  'mig.restarted': ['The new container {name} did not stay up (it restarted).', '新容器 {name} 没有持续运行（它重启了）。'],
  'mig.exited': ['The new container {name} did not stay up (exit code {code}).', '新容器 {name} 没有持续运行（退出码 {code}）。'],
  'mig.exitedWhy': ['The new container {name} did not stay up (exit code {code}: {detail}).', '新容器 {name} 没有持续运行（退出码 {code}：{detail}）。'],
  'mig.title.upgrade': ['Upgrade {name} from {from} to {to}', '将 {name} 从 {from} 升级到 {to}'],
  'mig.title.nameVolume': ['Name the anonymous volume of {name} at {path} "{newName}"', '将 {name} 在 {path} 的匿名数据卷命名为“{newName}”'],
  'mig.title.ownCopy': ['Give {name} its own copy of {paths}', '为 {name} 制作 {paths} 的专属副本'],
  'mig.title.rescue': ['Move {path} of {name} into the new volume "{newName}"', '将 {name} 的 {path} 移到新数据卷“{newName}”'],
  'mig.title.volumesFromRo': ['Run {name} from {image} with the volumes of {source} (read-only)', '用 {image} 运行 {name}，以只读方式挂载 {source} 的数据卷'],
  'mig.title.volumesFromRw': ['Run {name} from {image} with the volumes of {source} (read-write)', '用 {image} 运行 {name}，以读写方式挂载 {source} 的数据卷'],
  'mig.noMount': ['{name} has no mount at {path}.', '{name} 在 {path} 没有挂载。'],
  'mig.notAnonymous': ['{name} mounts {what} at {path}: not an anonymous volume.', '{name} 在 {path} 挂载的是 {what}，不是匿名数据卷。'],
  'mig.noVolumesFrom': [
    '{name} mounts nothing through --volumes-from: its volumes are already its own.',
    '{name} 没有通过 --volumes-from 挂载任何内容：它的数据卷已经是自己的。',
  ],
  'mig.onlyBinds': [
    '{name} gets no volumes through --volumes-from (only binds): there is nothing to copy.',
    '{name} 没有通过 --volumes-from 获得数据卷（只有绑定挂载）：没有可复制的内容。',
  ],
  'mig.noContainer': ['There is no container "{name}".', '没有名为“{name}”的容器。'],
  'mig.volumeExists': [
    'A volume named "{name}" already exists: the copy always goes into a new volume.',
    '名为“{name}”的数据卷已存在：副本总是放进新的数据卷。',
  ],
  'mig.autoRemove': ['{name} was started with --rm: stopping it would remove it.', '{name} 以 --rm 启动：停止它就会删除它。'],
  'mig.paused': ['{name} is paused: unpause it first.', '{name} 已暂停：请先恢复运行。'],
  'mig.asideTaken': ['The name {aside} (where {name} waits during the migration) is taken.', '名称 {aside}（迁移期间 {name} 暂用的名称）已被占用。'],
  'mig.imageGone': [
    'The image of {name} ({image}) is no longer on this engine: it cannot be recreated.',
    '{name} 的镜像（{image}）已不在此引擎上：无法重建它。',
  ],
  'mig.notAbsolute': ['"{path}" is not an absolute path without ".." or ":".', '“{path}”不是不含“..”或“:”的绝对路径。'],
  'mig.isMount': [
    '{path} is (or holds) a mount of {name}: its data is already outside the container.',
    '{path} 是（或包含）{name} 的挂载：其数据已经在容器之外。',
  ],
  'mig.rescueRootFile': [
    '{path} is a file at the top of the filesystem of {name}: a volume cannot be mounted on / to hold it. Copy it out instead.',
    '{path} 是 {name} 文件系统顶层的文件：无法在 / 上挂载数据卷来保存它。请改为把它复制出来。',
  ],
  'mig.nothingChanged': [
    '{name} has changed nothing under {path}: there is nothing to rescue there.',
    '{name} 在 {path} 下没有任何更改：那里没有需要抢救的数据。',
  ],
  'mig.badContainerName': [
    '"{name}" is not a valid container name (letters, digits, "_", "." and "-", starting with a letter or digit).',
    '“{name}”不是有效的容器名称（可用字母、数字、“_”、“.”和“-”，以字母或数字开头）。',
  ],
  'mig.nameTaken': ['The name {name} is taken by another container.', '名称 {name} 已被另一个容器占用。'],
  'mig.warn.othersKeep': [
    '{others} also mount {volume} and keep using it: from now on the data of {name} and theirs are separate.',
    '{others} 也挂载了 {volume} 并会继续使用它：从此 {name} 的数据与它们的数据各自独立。',
  ],
  'mig.warn.stillWriting': [
    'The copies are taken while {sources} may still be writing to {volumes} (started with --rm or paused, so not stopped here): stop them first for a consistent copy.',
    '复制时 {sources} 可能仍在写入 {volumes}（它们以 --rm 启动或已暂停，因此此处不会停止它们）：要得到一致的副本，请先停止它们。',
  ],
  'mig.warn.writersStopped': [
    '{writers} write to {volumes}: they are stopped while the copies are taken, so the copies are consistent, and started again right after (also if the migration fails or is cancelled).',
    '{writers} 正在写入 {volumes}：复制期间会停止它们以保证副本一致，复制完成后立即重新启动（迁移失败或取消时也会重新启动）。',
  ],
  'mig.warn.rescue': [
    "From now on {path} of {name} is the volume {volume}; the image's own files there are replaced by the copy.",
    '从现在起，{name} 的 {path} 就是数据卷 {volume}；镜像在那里的原有文件会被副本取代。',
  ],
  'mig.warn.rescueFile': [
    "{file} is a file, and a volume is mounted on a folder: all of {path} as {name} sees it, the image's files there too, moves into the volume {volume} and is {path} from now on.",
    '{file} 是一个文件，而数据卷只能挂载在文件夹上：{name} 所见的整个 {path}（包括镜像在那里的文件）都会移入数据卷 {volume}，从此 {path} 就是该数据卷。',
  ],
  'mig.warn.noMounts': [
    '{name} has no volumes or binds: the new container gets nothing from it.',
    '{name} 没有数据卷或绑定挂载：新容器从它那里得不到任何内容。',
  ],
  'mig.warn.oldImageGone': [
    "The old image {image} is gone, so what {name} overrode cannot be told from the image's defaults: its whole command, environment and labels are carried over.",
    '旧镜像 {image} 已不存在，无法分辨 {name} 覆盖了镜像的哪些默认设置：其完整的命令、环境变量和标签都会沿用。',
  ],
  'mig.warn.composeImage': [
    '{name} belongs to the Compose project "{project}": the next `docker compose up` recreates it from the compose file with the image written there. Change the file instead, or stop here.',
    '{name} 属于 Compose 项目“{project}”：下一次 `docker compose up` 会按 compose 文件及其中写明的镜像重建它。请改为修改该文件，或在此停下。',
  ],
  'mig.warn.composeVolumes': [
    '{name} belongs to the Compose project "{project}": the next `docker compose up` recreates it from the compose file, on the volumes written there. Change the file instead, or stop here.',
    '{name} 属于 Compose 项目“{project}”：下一次 `docker compose up` 会按 compose 文件、在其中写明的数据卷上重建它。请改为修改该文件，或在此停下。',
  ],
  'mig.warn.composeSource': [
    '{source} belongs to the Compose project "{project}"; {name} will not: Compose neither recreates nor removes it, and when Compose recreates {source}, {name} keeps the volumes it mounts now.',
    '{source} 属于 Compose 项目“{project}”，而 {name} 不属于：Compose 既不会重建也不会删除它；Compose 重建 {source} 时，{name} 仍挂载它现在挂载的数据卷。',
  ],
  'mig.warn.mountDropped': ['The {type} at {path} cannot be carried over and is left out.', '{path} 处的{type}无法沿用，将被略去。'],
  'mig.warn.sharedNetwork': [
    '{name} shares the network of another container ({mode}); the new one does too.',
    '{name} 与另一个容器共享网络（{mode}）；新容器也一样。',
  ],
  'cli.mig.compose': [
    '{name} belongs to the Compose project "{project}": the next `docker compose up` recreates it from its file. Change the file instead, or pass --compose-ok; nothing was changed.',
    '{name} 属于 Compose 项目“{project}”：下一次 `docker compose up` 会按其文件重建它。请改为修改该文件，或加上 --compose-ok；未做任何更改。',
  ],
  'cli.mig.upgraded': ['{name} now runs {image} ({id})', '{name} 现在运行 {image}（{id}）'],
  'cli.mig.upgradedStopped': ['{name} now runs {image} ({id}), stopped as the old one was', '{name} 现在运行 {image}（{id}），与旧容器一样处于停止状态'],
  'cli.mig.keptOld': ['{done}; the old container is kept as {old}', '{done}；旧容器保留为 {old}'],
  'cli.mig.rescued': ['{name} now keeps {path} in the volume {volume}', '{name} 现在把 {path} 保存在数据卷 {volume} 中'],
  'cli.mig.named': [
    '{name} now mounts the volume {volume} at {path}; the anonymous volume {anonymous} is kept',
    '{name} 现在在 {path} 挂载数据卷 {volume}；匿名数据卷 {anonymous} 保留',
  ],
  'cli.mig.ownCopy': ['{name} now has its own copy: {pairs}', '{name} 现在有了自己的副本：{pairs}'],
  'cli.mig.ran': ['{name} ({id}) has the volumes of {source}', '{name}（{id}）已挂载 {source} 的数据卷'],
  'cli.mig.ranRo': ['{name} ({id}) has the volumes of {source}, read-only', '{name}（{id}）已以只读方式挂载 {source} 的数据卷'],
  'cli.mig.commandAfterDash': [
    '{command}: the command goes after -- (see container-volumes {command} --help)',
    '{command}：命令要写在 -- 之后（参见 container-volumes {command} --help）',
  ],
  'cli.mig.oneOrTwo': [
    '{command}: expected 1 or 2 arguments, got {got} (see container-volumes {command} --help)',
    '{command}：需要 1 或 2 个参数，实际为 {got} 个（参见 container-volumes {command} --help）',
  ],
  'cli.mig.notMount': ['{command}: "{arg}" is not <container>:<path>', '{command}：“{arg}”不是 <容器>:<路径>'],
  'cli.mig.warning': ['  warning: {text}', '  警告：{text}'],
  // The CLI's --help, per command ({formats}: the archive formats this Node.js can write). "..." after
  // a <placeholder> is usage syntax (one or more), not an ellipsis.
  'cli.help.main': [
    `Usage: container-volumes <command> [options]

Commands:
  ls [--json]                               list volumes and the containers that use them
  backup <volume>|<container>:<path> <file> back up a volume (contents at the archive root) or a
                                            container's mount (entries under the mount path)
  backup --all|--project <name>|<volume>... --to <dir>
                                            back up several volumes at once, one archive each
  restore-project <dir>|<record>            recreate a backed-up project's volumes (new name: --project)
  restore <file> <volume>|<container>:<path>
                                            restore into a new (or empty) volume, or replace one
  clone <source-volume> <new-volume>        copy a volume into a new one on the same engine
  copy <volume> --to <context|host> [--name <new>] [--move]
                                            copy (or move) a volume to another engine
  verify <file>                             read the whole archive and check it against its record
  find <volume> <pattern> [--name|--text]   files by name, or lines of text, inside a volume
  du <volume> [--depth N]                   what takes the space in a volume, by folder
  upgrade <container> <image>               replace a container by one from a new image, keeping its
                                            data and configuration (undone if a step fails)
  run-with-volumes-from <source> <image> <name> [-- <command>...]
                                            a new container that mounts <source>'s volumes
  name-volume <container>:<path> [<new-volume>]
                                            copy an anonymous volume into a named one and recreate
                                            the container on it (the anonymous one is kept)
  own-copy <container>                      copy what a container mounts through --volumes-from into
                                            new volumes of its own, and recreate it on them
  rescue <container>:<path> [<new-volume>]  move a folder the container wrote in its writable layer
                                            into a new volume mounted there

Global options:
  --host <address>     engine address (unix://, tcp://, ssh://); default: like the docker CLI
  --context <name>     docker context to use
  --quiet              no progress on stderr
  -h, --help           help (also after a command)
  -V, --version        print the version

A volume is changed by one operation at a time, across processes and machines sharing the engine:
backup, restore and clone refuse a volume another process holds (exit 1, saying which operation on
which host holds it and since when; nothing is changed), or wait for it with --wait.`,
    `用法：container-volumes <命令> [选项]

命令：
  ls [--json]                               列出数据卷及使用它们的容器
  backup <数据卷>|<容器>:<路径> <文件>      备份一个数据卷（内容放在归档的根目录），或容器的
                                            一个挂载（条目放在挂载路径之下）
  backup --all|--project <名称>|<数据卷>... --to <目录>
                                            一次备份多个数据卷，每个数据卷一份归档
  restore-project <目录>|<记录>             重建已备份项目的数据卷（换个项目名：--project）
  restore <文件> <数据卷>|<容器>:<路径>
                                            恢复到新的（或空的）数据卷，或替换一个数据卷的内容
  clone <源数据卷> <新数据卷>               在同一引擎上把数据卷复制成一个新数据卷
  copy <数据卷> --to <上下文|主机> [--name <新名称>] [--move]
                                            把数据卷复制（或移动）到另一个引擎
  verify <文件>                             读取整个归档，并与它的备份记录核对
  find <数据卷> <模式> [--name|--text]      在数据卷里按名称找文件，或查找文本行
  du <数据卷> [--depth N]                   按文件夹列出数据卷的空间都用在了哪里
  upgrade <容器> <镜像>                     用新镜像创建的容器替换原容器，保留其数据和配置
                                            （任一步失败即全部撤销）
  run-with-volumes-from <来源> <镜像> <名称> [-- <命令>...]
                                            新建一个容器，挂载 <来源> 的所有数据卷
  name-volume <容器>:<路径> [<新数据卷>]
                                            把匿名数据卷复制到一个具名数据卷，并让容器改用它重建
                                            （匿名数据卷保留）
  own-copy <容器>                           把容器经 --volumes-from 挂载的内容复制到它自己的新数据卷，
                                            并让它改用这些数据卷重建
  rescue <容器>:<路径> [<新数据卷>]         把容器写在可写层里的文件夹移到一个新数据卷，并挂载在原处

全局选项：
  --host <地址>        引擎地址（unix://、tcp://、ssh://）；默认与 docker 命令行相同
  --context <名称>     要使用的 docker 上下文
  --quiet              不在 stderr 上显示进度
  -h, --help           显示帮助（也可以写在命令之后）
  -V, --version        显示版本号

同一个数据卷同一时刻只由一个操作修改，共用同一引擎的各个进程和机器之间也是如此：
backup、restore 和 clone 遇到被其他进程占用的数据卷时会拒绝执行（退出码 1，并说明是哪台主机上的
哪个操作、从何时起占用了它；不做任何更改），加 --wait 则等待它结束。`,
  ],
  'cli.help.ls': [
    `Usage: container-volumes ls [--json]

Lists volumes with their driver and the containers that use them (name:path).`,
    `用法：container-volumes ls [--json]

列出数据卷及其驱动，以及使用它们的容器（<容器>:<路径>）。`,
  ],
  'cli.help.backup': [
    `Usage: container-volumes backup <volume>|<container>:<path> <file> [--format tar|tar.gz|tar.zst] [--stop-containers] [--overwrite] [--helper-image <image>] [--no-fast-path] [--wait]

  <volume>            the volume's contents go to the archive's root
  <container>:<path>  that mount of the container, entries under <path> (as \`tar cvf x.tar <path>\`),
                      so the seed's \`tar xvf\` restore accepts it
  --format            default: from the file name, else tar ({formats} here)
  --stop-containers   stop running containers that use the volume, start them again after
  --overwrite         replace an existing <file>
  --helper-image      an image with sh and tar on the engine (never pulled; default: a local busybox
                      or alpine): when the engine is local, tar runs in it straight to the folder
                      (faster); the archive is verified the same
  --no-fast-path      always go through the engine's archive endpoint
  --wait              when another process is changing the volume, wait for it (default: refuse)
The archive is written under a temporary name, verified, then renamed; <file>.json records what was saved.

       container-volumes backup --all|--project <name>|<volume>... --to <dir> [--jobs N] [--keep N] [--stop-containers] [--format tar|tar.gz|tar.zst] [--helper-image <image>] [--no-fast-path] [--wait]

Several volumes at once (every volume, a Compose project's, or those named), each to
<dir>/<volume>-<UTC time>.tar with its record, plus <project>-<time>.backup-set.json (which container
used which volume where, sizes, sha256). One line on stdout at the end; exit 1 if any volume failed
(the others are still backed up and verified).
  --jobs N            volumes backed up at the same time (default 2)
  --keep N            then keep the N newest verified backups per volume in <dir> and remove older
                      ones this command wrote (by name and record); nothing else is ever removed
  --stop-containers   stop every running container that uses any of the volumes once, start them
                      again at the end (also on failure or Ctrl-C)`,
    `用法：container-volumes backup <数据卷>|<容器>:<路径> <文件> [--format tar|tar.gz|tar.zst] [--stop-containers] [--overwrite] [--helper-image <镜像>] [--no-fast-path] [--wait]

  <数据卷>            数据卷的内容放在归档的根目录
  <容器>:<路径>       容器的这个挂载，条目放在 <路径> 之下（如同 \`tar cvf x.tar <路径>\`），
                      因此原帖中用 \`tar xvf\` 的恢复方式也能接受
  --format            默认按文件名判断，否则为 tar（本机可用：{formats}）
  --stop-containers   停止使用该数据卷的运行中容器，完成后再启动它们
  --overwrite         替换已存在的 <文件>
  --helper-image      引擎上一个带 sh 和 tar 的镜像（从不拉取；默认使用本地的 busybox 或
                      alpine）：引擎在本机时，tar 在其中运行，直接写到文件夹（更快）；
                      归档照样校验
  --no-fast-path      始终经由引擎的归档接口
  --wait              其他进程正在修改该数据卷时等待它结束（默认：拒绝执行）
归档先以临时名称写出，校验后再改名；<文件>.json 记录保存了哪些内容。

      container-volumes backup --all|--project <名称>|<数据卷>... --to <目录> [--jobs N] [--keep N] [--stop-containers] [--format tar|tar.gz|tar.zst] [--helper-image <镜像>] [--no-fast-path] [--wait]

一次备份多个数据卷（全部数据卷、某个 Compose 项目的数据卷，或列出名称的数据卷），每个写到
<目录>/<数据卷>-<UTC 时间>.tar 并附带备份记录，另有 <项目>-<时间>.backup-set.json（记录哪个容器
在哪里使用了哪个数据卷、大小和 sha256）。结束时在 stdout 上输出一行；任一数据卷失败则退出码为 1
（其他数据卷照样备份并校验）。
  --jobs N            同时备份的数据卷个数（默认 2）
  --keep N            随后在 <目录> 中为每个数据卷保留最新的 N 份已校验备份，删除本命令写出的
                      更早的备份（按名称和备份记录判断）；其他任何文件都不会被删除
  --stop-containers   对使用这些数据卷的运行中容器，每个只停止一次，结束时再启动
                      （失败或按 Ctrl-C 时也会启动）`,
  ],
  'cli.help.restore-project': [
    `Usage: container-volumes restore-project <dir>|<record> [--project <new-name>] [--replace] [--helper-image <image>] [--no-fast-path] [--wait]

Recreates the volumes of a backup set (the newest *.backup-set.json in <dir>, or the record given) with
their Compose labels, so \`docker compose up\` adopts them. Everything is checked first; nothing changes
if an archive is missing or differs from the record, a volume exists and is not empty, or the project
is running.
  --project <new-name>  restore as another project: volumes become <new-name>_<key>, labelled for it
  --replace           replace existing volumes, also of a running project (its containers are stopped
                      once and started again; a safety backup of each volume is taken first)`,
    `用法：container-volumes restore-project <目录>|<记录> [--project <新名称>] [--replace] [--helper-image <镜像>] [--no-fast-path] [--wait]

重建一个备份集的数据卷（<目录> 中最新的 *.backup-set.json，或给出的记录），连同其 Compose 标签，
使 \`docker compose up\` 直接接管它们。一切先检查：只要有归档缺失或与记录不符、有数据卷已存在且不为空，
或项目正在运行，就不做任何更改。
  --project <新名称>  恢复为另一个项目：数据卷名为 <新名称>_<键>，并带上该项目的标签
  --replace           替换已存在的数据卷，项目正在运行时也一样（其容器停止一次后再启动；
                      每个数据卷都先做一次安全备份）`,
  ],
  'cli.help.restore': [
    `Usage: container-volumes restore <file> <volume>|<container>:<path> [--replace] [--stop-containers] [--prefix <dir>] [--safety-backup <file>] [--helper-image <image>] [--no-fast-path] [--wait]

Restores into a new volume (created) or an empty one. An existing non-empty volume is refused unless
--replace: then a safety backup is taken first, the volume emptied, and the archive restored.
  <container>:<path>  the volume that container mounts at <path>
  --replace           replace the contents of a non-empty volume (after a safety backup)
  --stop-containers   stop running containers that use the volume, start them again after
  --safety-backup <file>  where the safety backup of --replace goes (default: beside <file>)
  --prefix <dir>      the archive folder whose contents go to the volume root ('' = as is); default:
                      the backup record's, or the one folder every entry sits under (\`tar cf x.tar /logs\`)
  --helper-image      an image with a shell (never pulled) to empty a volume that containers use and to
                      keep setuid/setgid bits; when the engine is local, tar in it restores faster
  --no-fast-path      always go through the engine's archive endpoint
  --wait              when another process holds the volume, wait for it (default: refuse, exit 1)
A new volume is created by this restore and no one else: if the name appears meanwhile, nothing is written.`,
    `用法：container-volumes restore <文件> <数据卷>|<容器>:<路径> [--replace] [--stop-containers] [--prefix <目录>] [--safety-backup <文件>] [--helper-image <镜像>] [--no-fast-path] [--wait]

恢复到一个新数据卷（会创建）或空数据卷。已存在且不为空的数据卷会被拒绝，除非加 --replace：
此时先做安全备份，再清空数据卷，然后恢复归档。
  <容器>:<路径>       该容器挂载在 <路径> 的数据卷
  --replace           替换非空数据卷的内容（先做安全备份）
  --stop-containers   停止使用该数据卷的运行中容器，完成后再启动它们
  --safety-backup <文件>  --replace 的安全备份写到哪里（默认：<文件> 旁边）
  --prefix <目录>     归档中哪个文件夹的内容放到数据卷根目录（'' 表示原样）；默认取备份
                      记录中的值，或所有条目共同所在的那个文件夹（\`tar cf x.tar /logs\`）
  --helper-image      一个带 shell 的镜像（从不拉取），用于清空正被容器使用的数据卷、保留
                      setuid/setgid 位；引擎在本机时，在其中运行 tar 恢复更快
  --no-fast-path      始终经由引擎的归档接口
  --wait              其他进程占用该数据卷时等待它结束（默认：拒绝执行，退出码 1）
新数据卷只由本次恢复创建：如果同名数据卷在此期间出现，则不写入任何内容。`,
  ],
  'cli.help.clone': [
    `Usage: container-volumes clone <source-volume> <new-volume> [--stop-containers] [--helper-image <image>] [--no-fast-path] [--wait]

Copies contents, driver and labels into a new volume on the same engine, streamed with no temporary file.
When the engine is local and an image with sh and cp is there (--helper-image, else a local busybox or
alpine), cp -a in a helper copies the data directly.
  --stop-containers   stop running containers that use the source, start them again after
  --helper-image      the image for that helper (never pulled)
  --no-fast-path      always stream through the engine's archive endpoints
  --wait              when another process holds either volume, wait for it (default: refuse, exit 1)`,
    `用法：container-volumes clone <源数据卷> <新数据卷> [--stop-containers] [--helper-image <镜像>] [--no-fast-path] [--wait]

把内容、驱动和标签复制到同一引擎上的一个新数据卷，以流的方式传输，不产生临时文件。
引擎在本机且有带 sh 和 cp 的镜像（--helper-image，否则用本地的 busybox 或 alpine）时，
由辅助容器中的 cp -a 直接复制数据。
  --stop-containers   停止使用源数据卷的运行中容器，完成后再启动它们
  --helper-image      该辅助容器使用的镜像（从不拉取）
  --no-fast-path      始终经由引擎的归档接口以流的方式传输
  --wait              其他进程占用任一数据卷时等待它结束（默认：拒绝执行，退出码 1）`,
  ],
  'cli.help.copy': [
    `Usage: container-volumes copy <volume> --to <context|host> [--name <new>] [--move] [--helper-image <image>] [--wait]

Copies a volume's contents, driver and labels to another engine, streamed from one engine's archive
endpoint into the other's with no temporary file, then reads the copy back on the target engine and
checks entries, bytes and a content hash against what was sent (a copy that differs is removed).
The source engine is --host/--context (default: like the docker CLI).
  --to <context|host>  the target engine: a docker context name, or an address (unix://, tcp://, ssh://)
  --name <new>         the volume's name on the target (default: the same name); it must not exist
                       there, or be empty and unused
  --move               then remove the source, only if the copy is verified and no container uses it
                       (refused before anything is copied when one does)
  --helper-image       an image with a shell on the TARGET engine, to put back setuid/setgid bits
Ctrl-C or a failure leaves no volume (and no data) on the target and the source untouched.`,
    `用法：container-volumes copy <数据卷> --to <上下文|主机> [--name <新名称>] [--move] [--helper-image <镜像>] [--wait]

把数据卷的内容、驱动和标签复制到另一个引擎：从一个引擎的归档接口以流的方式直接传入另一个引擎，
不产生临时文件；随后在目标引擎上读回副本，核对条目数、字节数和内容哈希是否与发送的一致
（不一致的副本会被删除）。源引擎由 --host/--context 指定（默认与 docker 命令行相同）。
  --to <上下文|主机>   目标引擎：docker 上下文的名称，或引擎地址（unix://、tcp://、ssh://）
  --name <新名称>      数据卷在目标引擎上的名称（默认同名）；该名称在目标上必须不存在，
                       或是一个空的、未被使用的数据卷
  --move               复制之后删除源数据卷，前提是副本已校验且没有容器使用它
                       （若有容器使用，则在复制之前就拒绝执行）
  --helper-image       目标引擎上带 shell 的镜像，用于恢复 setuid/setgid 位
按 Ctrl-C 或操作失败时，目标引擎上不会留下数据卷（也不留下数据），源数据卷保持不变。`,
  ],
  'cli.help.find': [
    `Usage: container-volumes find <volume> <pattern> [--name|--text] [--json] [--regex] [--case-sensitive] [--word] [--include <globs>] [--exclude <globs>] [--max <n>] [--helper-image <image>]

Searches inside the volume, in a helper container that mounts it read-only (nothing is copied out).
  --text              (default) lines containing <pattern>, printed as path:line:text; binary files are
                      skipped; --regex (POSIX extended), --case-sensitive, --word (whole words)
  --name              file paths: a glob (*, ?, [...]) matches the file name, or the path when it holds
                      a /; other patterns match anywhere in the path, ignoring case
  --include, --exclude  comma-separated globs of files to search or leave out (*.log, logs/**, cache)
  --max <n>           matching lines to print (default 2000); the rest are counted
  --json              one JSON document (exact names, even with newlines)`,
    `用法：container-volumes find <数据卷> <模式> [--name|--text] [--json] [--regex] [--case-sensitive] [--word] [--include <通配符>] [--exclude <通配符>] [--max <n>] [--helper-image <镜像>]

在数据卷内部搜索，由一个以只读方式挂载它的辅助容器完成（不向外复制任何内容）。
  --text              （默认）含有 <模式> 的行，按 <路径>:<行号>:<文本> 输出；跳过二进制文件；
                      --regex（POSIX 扩展正则）、--case-sensitive（区分大小写）、--word（全词匹配）
  --name              文件路径：通配符（*、?、[...]）匹配文件名，含 / 时匹配路径；
                      其他模式在路径的任意位置匹配，不区分大小写
  --include, --exclude  要搜索或排除的文件，以逗号分隔的通配符（*.log、logs/**、cache）
  --max <n>           最多输出的匹配行数（默认 2000）；其余只计数
  --json              输出一个 JSON 文档（名称原样保留，含换行也不例外）`,
  ],
  'cli.help.du': [
    `Usage: container-volumes du <volume> [--depth N] [--json] [--helper-image <image>]

Disk usage of the volume's folders, biggest first, with the number of entries (files, links, empty
folders) under each, and the biggest files; measured by du in a helper that mounts the volume read-only.
  --depth N           folder levels to print below the root (default 1)
  --json              one JSON document`,
    `用法：container-volumes du <数据卷> [--depth N] [--json] [--helper-image <镜像>]

数据卷中各文件夹的磁盘用量，从大到小排列，附每个文件夹下的条目数（文件、链接、空文件夹），
以及最大的文件；由以只读方式挂载该数据卷的辅助容器中的 du 测量。
  --depth N           根目录之下列出几层文件夹（默认 1）
  --json              输出一个 JSON 文档`,
  ],
  'cli.help.upgrade': [
    `Usage: container-volumes upgrade <container> <image> [--keep-old] [--stop-timeout <seconds>] [--settle <ms>] [--dry-run] [--compose-ok]

Renames the container aside, creates one under its name from <image> with its whole configuration
(command and entrypoint only where it overrode the old image's) and the same volumes, binds and tmpfs
mounted explicitly, stops the old one, starts the new one and checks it stays up (when the old one was
stopped, the new one is stopped again after the check), then removes the old one. If any step fails,
or on Ctrl-C, everything done is undone: the old container is back under its name, as it was.
  --keep-old          keep the old container, stopped and renamed, as a way back
  --stop-timeout <seconds>  how long the old container gets to stop (default: the engine's)
  --settle <ms>       how long the new container must stay up (default 2000)
  --dry-run           print the plan and change nothing
  --compose-ok        go on with a container of a Compose project (refused otherwise: the next
                      \`docker compose up\` recreates it from its file)`,
    `用法：container-volumes upgrade <容器> <镜像> [--keep-old] [--stop-timeout <秒数>] [--settle <毫秒>] [--dry-run] [--compose-ok]

把容器改名让到一旁，用 <镜像> 以其原名创建一个新容器，沿用全部配置（命令和入口点只在它覆盖了
旧镜像的设置时才沿用），并显式挂载同样的数据卷、绑定挂载和 tmpfs；然后停止旧容器、启动新容器
并确认它持续运行（旧容器原本处于停止状态时，确认后再把新容器停止），最后删除旧容器。
任一步失败或按 Ctrl-C 时，已做的一切都会撤销：旧容器以原名恢复原样。
  --keep-old          保留旧容器（已停止并改名），以便退回
  --stop-timeout <秒数>  给旧容器多长时间停止（默认：引擎的设置）
  --settle <毫秒>     新容器必须持续运行多久（默认 2000）
  --dry-run           只输出计划，不做任何更改
  --compose-ok        容器属于 Compose 项目时仍继续（否则拒绝执行：下一次
                      \`docker compose up\` 会按其文件重建它）`,
  ],
  'cli.help.run-with-volumes-from': [
    `Usage: container-volumes run-with-volumes-from <source> <image> <name> [--ro] [--no-start] [--check <ms>] [--dry-run] [-- <command>...]

Creates <name> from <image> with --volumes-from <source> (the seed's data-volume-container pattern) and
starts it; <command> (after --) replaces the image's own. Nothing existing is changed; if a step fails,
or on Ctrl-C, the new container is removed.
  --ro                mount every volume of <source> read-only (default: as <source> has them)
  --no-start          create it only
  --check <ms>        it must stay up this long, else it is removed (default: no check, like docker run -d)
  --dry-run           print the plan and change nothing`,
    `用法：container-volumes run-with-volumes-from <来源> <镜像> <名称> [--ro] [--no-start] [--check <毫秒>] [--dry-run] [-- <命令>...]

用 <镜像> 创建 <名称>，带 --volumes-from <来源>（原帖中“数据卷容器”的用法），并启动它；
<命令>（写在 -- 之后）替换镜像自带的命令。不改动任何已有的东西；任一步失败或按 Ctrl-C 时，
新容器会被删除。
  --ro                以只读方式挂载 <来源> 的每个数据卷（默认：与 <来源> 的挂载方式相同）
  --no-start          只创建，不启动
  --check <毫秒>      它必须持续运行这么久，否则删除（默认：不检查，与 docker run -d 相同）
  --dry-run           只输出计划，不做任何更改`,
  ],
  'cli.help.name-volume': [
    `Usage: container-volumes name-volume <container>:<path> [<new-volume>] [--stop-timeout <seconds>] [--settle <ms>] [--dry-run] [--compose-ok]

Copies the anonymous volume <container> mounts at <path> into the new volume <new-volume> (default
<container>-<last part of path>) while <container> is stopped, then recreates <container> (same image,
same configuration) with <new-volume> at <path>, checks it stays up, and removes the old container. The
anonymous volume is kept. If any step fails, or on Ctrl-C, everything done is undone.
  --stop-timeout, --settle, --dry-run, --compose-ok   as for upgrade`,
    `用法：container-volumes name-volume <容器>:<路径> [<新数据卷>] [--stop-timeout <秒数>] [--settle <毫秒>] [--dry-run] [--compose-ok]

在 <容器> 停止期间，把它挂载在 <路径> 的匿名数据卷复制到新数据卷 <新数据卷>（默认为
<容器>-<路径的最后一段>），然后用 <路径> 处的 <新数据卷> 重建 <容器>（同一镜像、同样的配置），
确认它持续运行，再删除旧容器。匿名数据卷保留。任一步失败或按 Ctrl-C 时，已做的一切都会撤销。
  --stop-timeout, --settle, --dry-run, --compose-ok   与 upgrade 相同`,
  ],
  'cli.help.own-copy': [
    `Usage: container-volumes own-copy <container> [--stop-timeout <seconds>] [--settle <ms>] [--dry-run] [--compose-ok]

Copies each volume <container> gets through --volumes-from into a new volume
<container>-<last part of its path>, then recreates <container> on the copies without --volumes-from
(independent from now on). The source containers and their volumes are not touched. If any step
fails, or on Ctrl-C, everything done is undone.
  --stop-timeout, --settle, --dry-run, --compose-ok   as for upgrade`,
    `用法：container-volumes own-copy <容器> [--stop-timeout <秒数>] [--settle <毫秒>] [--dry-run] [--compose-ok]

把 <容器> 经 --volumes-from 得到的每个数据卷复制到一个新数据卷 <容器>-<其路径的最后一段>，
然后不带 --volumes-from、改用这些副本重建 <容器>（从此各自独立）。来源容器及其数据卷不受影响。
任一步失败或按 Ctrl-C 时，已做的一切都会撤销。
  --stop-timeout, --settle, --dry-run, --compose-ok   与 upgrade 相同`,
  ],
  'cli.help.rescue': [
    `Usage: container-volumes rescue <container>:<path> [<new-volume>] [--list] [--stop-timeout <seconds>] [--settle <ms>] [--dry-run] [--compose-ok]

Data written inside a container instead of a volume is lost with the container. This copies the folder
<path> from <container>'s writable layer into the new volume <new-volume> (default
<container>-<last part of path>) while <container> is stopped, then recreates <container> (same image,
same configuration) with the volume mounted at <path>. If any step fails, or on Ctrl-C, everything done
is undone.
  --list              print what <container> changed outside its mounts (A added, C changed, D deleted)
                      and change nothing (<path> is then ignored: give <container>:/)
  --stop-timeout, --settle, --dry-run, --compose-ok   as for upgrade`,
    `用法：container-volumes rescue <容器>:<路径> [<新数据卷>] [--list] [--stop-timeout <秒数>] [--settle <毫秒>] [--dry-run] [--compose-ok]

写在容器内部而不是数据卷里的数据，会随容器一起丢失。此命令在 <容器> 停止期间，把 <容器> 可写层中
的文件夹 <路径> 复制到新数据卷 <新数据卷>（默认为 <容器>-<路径的最后一段>），然后重建 <容器>
（同一镜像、同样的配置），把该数据卷挂载在 <路径>。任一步失败或按 Ctrl-C 时，已做的一切都会撤销。
  --list              列出 <容器> 在其挂载之外改动了什么（A 新增，C 修改，D 删除），
                      不做任何更改（此时忽略 <路径>：写 <容器>:/ 即可）
  --stop-timeout, --settle, --dry-run, --compose-ok   与 upgrade 相同`,
  ],
  'cli.help.verify': [
    `Usage: container-volumes verify <file>

Reads and parses the whole archive (truncation and corruption show) and compares it with <file>.json.`,
    `用法：container-volumes verify <文件>

读取并解析整个归档（截断和损坏都会暴露出来），并与 <文件>.json 核对。`,
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type MessageCode = keyof typeof CATALOGUE;
