#compdef imgproc

__imgproc_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__imgproc_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __imgproc_complete "${completions[@]:0:-1}"
    fi
}

__imgproc_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_imgproc() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'convert:Make the variants of a recipe from image files, folders or standard input.'
            's3-sync:Convert what is new or changed under an S3 prefix into another prefix.'
            'watch:Convert every image that lands in a folder, once, never half-written.'
            'lambda:Run as an AWS Lambda function (the provided.al2023 bootstrap).'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        convert|s3-sync|watch|lambda|help)
            "_imgproc_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_imgproc_convert() {
    local -i ret=1
    local -ar ___fail_on=('warning' 'error')
    local -ar ___keep=('icc' 'exif' 'all' 'none')
    local -ar ___output_profile=('none' 'srgb-compact')
    local -ar ___kernel=('nearest' 'linear' 'cubic' 'mitchell' 'lanczos2' 'lanczos3')
    local -ar ___subsampling=('auto' '420' '422' '444')
    local -ar arg_specs=(
        '*:inputs:'
        '(-o --output)'{-o,--output}'[Output folder (created if missing), s3\://bucket/prefix/, or - for standard output (one input, one variant).]:output:'
        '--recipe[A recipe JSON file (default\: the built-in five variants, as Resources/recipes/default.json).]:recipe:'
        '*--variant[A variant NAME\:FORMAT\[\:WxH\]\[\:q=N\]\[\:fit=F\]\[\:kernel=K\]\[\:effort=N\]\[\:level=N\]\[\:subsampling=S\]\[\:progressive\]\[\:lossless\]\[\:enlarge\]. Repeatable; replaces the default recipe, or adds to --recipe.]:spec:'
        '--max-size[Fit images larger than N px on a side into N×N before the variants; 0 disables. (default\: the recipe'\''s, 4096)]:max-size:'
        '--max-pixels[Refuse images with more pixels than this (checked from the header, before decoding).]:max-pixels:'
        '--max-input-bytes[Refuse sources larger than this, checked while reading\: bytes, or with KiB, MiB, GiB (KB, MB, GB\: powers of 1000). (default\: 512MiB)]:size:'
        '--fail-on[Which damage fails a file, in every format\: warning (any\: truncated data, damage after the image, decoder warnings) or error (only errors; damaged images decode as far as they can, with a warning).]:fail-on:{__imgproc_complete "${___fail_on[@]}"}'
        '--no-rotate[Keep pixels as stored; by default the EXIF orientation is applied.]'
        '--keep[Metadata carried into outputs\: none, exif, icc or all. Without icc, pixels with an embedded profile (RGB, gray, CMYK) are converted to sRGB and the profile is left out; with icc (or all) the profile is kept and the pixels left as stored.]:keep:{__imgproc_complete "${___keep[@]}"}'
        '--output-profile[The profile outputs carry when --keep does not keep the source'\''s\: none (untagged sRGB) or srgb-compact (a 568-byte sRGB profile).]:output-profile:{__imgproc_complete "${___output_profile[@]}"}'
        '--background[Colour behind transparent pixels in JPEG outputs, and padding for fit=contain\: white, black, #rrggbb or r,g,b.]:background:'
        '--kernel[Resampling kernel for variants that name none, and for the --max-size cap.]:kernel:{__imgproc_complete "${___kernel[@]}"}'
        '--reducing-gap[Shrinks by more than 2×N start with an integer box reduction, leaving at least N for the kernel (as Pillow'\''s reducing_gap); 0 resamples exactly.]:reducing-gap:'
        '--progressive[Write progressive JPEGs (variants may override).]'
        '--subsampling[JPEG chroma subsampling\: auto (4\:2\:0 below quality 90, 4\:4\:4 from 90), 420, 422 or 444.]:subsampling:{__imgproc_complete "${___subsampling[@]}"}'
        '--endpoint-url[An S3-compatible endpoint, e.g. http\://127.0.0.1\:8085 (default\: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS).]:endpoint-url:'
        '--region[The region to sign for (default\: AWS_REGION, AWS_DEFAULT_REGION, the profile'\''s, else us-east-1).]:region:'
        '--profile[The profile in ~/.aws/credentials and ~/.aws/config (default\: AWS_PROFILE, else default).]:profile:'
        '--path-style[Path-style addressing (host/bucket/key); automatic for IP and localhost endpoints.]'
        '--max-attempts[Attempts per request, retrying 5xx, throttling and connection errors with backoff.]:max-attempts:'
        '--concurrency[S3 requests in flight at once (independent of --jobs).]:concurrency:'
        '--multipart-threshold[Upload objects larger than this many MiB in parts.]:multipart-threshold:'
        '--sse[Server-side encryption for uploads\: AES256 or aws\:kms.]:sse:'
        '--sniff-content[In S3 listings, read the first bytes of keys without an image extension (.jpg, .png, .webp, .heic, .avif…; a ranged GET each, every run) to find images among them. By default such keys are skipped by name.]'
        '--name[Output file name template\: {base} {variant} {hash} {ext} {recipe}.]:name:'
        '--jobs[Images processed at once; also the thread budget. (default\: the number of cores)]:jobs:'
        '--json[Print one JSON object per event (output, up-to-date, planned, progress, warning, error, ignored, excluded, other-version, summary).]'
        '(--quiet -q)'{--quiet,-q}'[Print only errors.]'
        '(--verbose -v)'{--verbose,-v}'[Print a line per output file.]'
        '--overwrite[Re-create outputs that exist already.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_imgproc_s3-sync() {
    local -i ret=1
    local -ar ___fail_on=('warning' 'error')
    local -ar ___keep=('icc' 'exif' 'all' 'none')
    local -ar ___output_profile=('none' 'srgb-compact')
    local -ar ___kernel=('nearest' 'linear' 'cubic' 'mitchell' 'lanczos2' 'lanczos3')
    local -ar ___subsampling=('auto' '420' '422' '444')
    local -ar arg_specs=(
        ':source:'
        ':destination:'
        '--recipe[A recipe JSON file (default\: the built-in five variants, as Resources/recipes/default.json).]:recipe:'
        '*--variant[A variant NAME\:FORMAT\[\:WxH\]\[\:q=N\]\[\:fit=F\]\[\:kernel=K\]\[\:effort=N\]\[\:level=N\]\[\:subsampling=S\]\[\:progressive\]\[\:lossless\]\[\:enlarge\]. Repeatable; replaces the default recipe, or adds to --recipe.]:spec:'
        '--max-size[Fit images larger than N px on a side into N×N before the variants; 0 disables. (default\: the recipe'\''s, 4096)]:max-size:'
        '--max-pixels[Refuse images with more pixels than this (checked from the header, before decoding).]:max-pixels:'
        '--max-input-bytes[Refuse sources larger than this, checked while reading\: bytes, or with KiB, MiB, GiB (KB, MB, GB\: powers of 1000). (default\: 512MiB)]:size:'
        '--fail-on[Which damage fails a file, in every format\: warning (any\: truncated data, damage after the image, decoder warnings) or error (only errors; damaged images decode as far as they can, with a warning).]:fail-on:{__imgproc_complete "${___fail_on[@]}"}'
        '--no-rotate[Keep pixels as stored; by default the EXIF orientation is applied.]'
        '--keep[Metadata carried into outputs\: none, exif, icc or all. Without icc, pixels with an embedded profile (RGB, gray, CMYK) are converted to sRGB and the profile is left out; with icc (or all) the profile is kept and the pixels left as stored.]:keep:{__imgproc_complete "${___keep[@]}"}'
        '--output-profile[The profile outputs carry when --keep does not keep the source'\''s\: none (untagged sRGB) or srgb-compact (a 568-byte sRGB profile).]:output-profile:{__imgproc_complete "${___output_profile[@]}"}'
        '--background[Colour behind transparent pixels in JPEG outputs, and padding for fit=contain\: white, black, #rrggbb or r,g,b.]:background:'
        '--kernel[Resampling kernel for variants that name none, and for the --max-size cap.]:kernel:{__imgproc_complete "${___kernel[@]}"}'
        '--reducing-gap[Shrinks by more than 2×N start with an integer box reduction, leaving at least N for the kernel (as Pillow'\''s reducing_gap); 0 resamples exactly.]:reducing-gap:'
        '--progressive[Write progressive JPEGs (variants may override).]'
        '--subsampling[JPEG chroma subsampling\: auto (4\:2\:0 below quality 90, 4\:4\:4 from 90), 420, 422 or 444.]:subsampling:{__imgproc_complete "${___subsampling[@]}"}'
        '--endpoint-url[An S3-compatible endpoint, e.g. http\://127.0.0.1\:8085 (default\: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS).]:endpoint-url:'
        '--region[The region to sign for (default\: AWS_REGION, AWS_DEFAULT_REGION, the profile'\''s, else us-east-1).]:region:'
        '--profile[The profile in ~/.aws/credentials and ~/.aws/config (default\: AWS_PROFILE, else default).]:profile:'
        '--path-style[Path-style addressing (host/bucket/key); automatic for IP and localhost endpoints.]'
        '--max-attempts[Attempts per request, retrying 5xx, throttling and connection errors with backoff.]:max-attempts:'
        '--concurrency[S3 requests in flight at once (independent of --jobs).]:concurrency:'
        '--multipart-threshold[Upload objects larger than this many MiB in parts.]:multipart-threshold:'
        '--sse[Server-side encryption for uploads\: AES256 or aws\:kms.]:sse:'
        '--sniff-content[In S3 listings, read the first bytes of keys without an image extension (.jpg, .png, .webp, .heic, .avif…; a ranged GET each, every run) to find images among them. By default such keys are skipped by name.]'
        '--name[Output file name template\: {base} {variant} {hash} {ext} {recipe}.]:name:'
        '--jobs[Images processed at once; also the thread budget. (default\: the number of cores)]:jobs:'
        '--json[Print one JSON object per event (output, up-to-date, planned, progress, warning, error, ignored, excluded, other-version, summary).]'
        '(--quiet -q)'{--quiet,-q}'[Print only errors.]'
        '(--verbose -v)'{--verbose,-v}'[Print a line per output file.]'
        '--dry-run[List what would be converted, and why, without converting anything.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_imgproc_watch() {
    local -i ret=1
    local -ar ___fail_on=('warning' 'error')
    local -ar ___keep=('icc' 'exif' 'all' 'none')
    local -ar ___output_profile=('none' 'srgb-compact')
    local -ar ___kernel=('nearest' 'linear' 'cubic' 'mitchell' 'lanczos2' 'lanczos3')
    local -ar ___subsampling=('auto' '420' '422' '444')
    local -ar arg_specs=(
        ':folder:'
        '(-o --output)'{-o,--output}'[Output folder (created if missing) or s3\://bucket/prefix/.]:output:'
        '--recipe[A recipe JSON file (default\: the built-in five variants, as Resources/recipes/default.json).]:recipe:'
        '*--variant[A variant NAME\:FORMAT\[\:WxH\]\[\:q=N\]\[\:fit=F\]\[\:kernel=K\]\[\:effort=N\]\[\:level=N\]\[\:subsampling=S\]\[\:progressive\]\[\:lossless\]\[\:enlarge\]. Repeatable; replaces the default recipe, or adds to --recipe.]:spec:'
        '--max-size[Fit images larger than N px on a side into N×N before the variants; 0 disables. (default\: the recipe'\''s, 4096)]:max-size:'
        '--max-pixels[Refuse images with more pixels than this (checked from the header, before decoding).]:max-pixels:'
        '--max-input-bytes[Refuse sources larger than this, checked while reading\: bytes, or with KiB, MiB, GiB (KB, MB, GB\: powers of 1000). (default\: 512MiB)]:size:'
        '--fail-on[Which damage fails a file, in every format\: warning (any\: truncated data, damage after the image, decoder warnings) or error (only errors; damaged images decode as far as they can, with a warning).]:fail-on:{__imgproc_complete "${___fail_on[@]}"}'
        '--no-rotate[Keep pixels as stored; by default the EXIF orientation is applied.]'
        '--keep[Metadata carried into outputs\: none, exif, icc or all. Without icc, pixels with an embedded profile (RGB, gray, CMYK) are converted to sRGB and the profile is left out; with icc (or all) the profile is kept and the pixels left as stored.]:keep:{__imgproc_complete "${___keep[@]}"}'
        '--output-profile[The profile outputs carry when --keep does not keep the source'\''s\: none (untagged sRGB) or srgb-compact (a 568-byte sRGB profile).]:output-profile:{__imgproc_complete "${___output_profile[@]}"}'
        '--background[Colour behind transparent pixels in JPEG outputs, and padding for fit=contain\: white, black, #rrggbb or r,g,b.]:background:'
        '--kernel[Resampling kernel for variants that name none, and for the --max-size cap.]:kernel:{__imgproc_complete "${___kernel[@]}"}'
        '--reducing-gap[Shrinks by more than 2×N start with an integer box reduction, leaving at least N for the kernel (as Pillow'\''s reducing_gap); 0 resamples exactly.]:reducing-gap:'
        '--progressive[Write progressive JPEGs (variants may override).]'
        '--subsampling[JPEG chroma subsampling\: auto (4\:2\:0 below quality 90, 4\:4\:4 from 90), 420, 422 or 444.]:subsampling:{__imgproc_complete "${___subsampling[@]}"}'
        '--endpoint-url[An S3-compatible endpoint, e.g. http\://127.0.0.1\:8085 (default\: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS).]:endpoint-url:'
        '--region[The region to sign for (default\: AWS_REGION, AWS_DEFAULT_REGION, the profile'\''s, else us-east-1).]:region:'
        '--profile[The profile in ~/.aws/credentials and ~/.aws/config (default\: AWS_PROFILE, else default).]:profile:'
        '--path-style[Path-style addressing (host/bucket/key); automatic for IP and localhost endpoints.]'
        '--max-attempts[Attempts per request, retrying 5xx, throttling and connection errors with backoff.]:max-attempts:'
        '--concurrency[S3 requests in flight at once (independent of --jobs).]:concurrency:'
        '--multipart-threshold[Upload objects larger than this many MiB in parts.]:multipart-threshold:'
        '--sse[Server-side encryption for uploads\: AES256 or aws\:kms.]:sse:'
        '--sniff-content[In S3 listings, read the first bytes of keys without an image extension (.jpg, .png, .webp, .heic, .avif…; a ranged GET each, every run) to find images among them. By default such keys are skipped by name.]'
        '--name[Output file name template\: {base} {variant} {hash} {ext} {recipe}.]:name:'
        '--jobs[Images processed at once; also the thread budget. (default\: the number of cores)]:jobs:'
        '--json[Print one JSON object per event (output, up-to-date, planned, progress, warning, error, ignored, excluded, other-version, summary).]'
        '(--quiet -q)'{--quiet,-q}'[Print only errors.]'
        '(--verbose -v)'{--verbose,-v}'[Print a line per output file.]'
        '--settle[Milliseconds a file'\''s size and time must stay still when its writer was not seen closing it.]:settle:'
        '--poll[Scan every this many seconds instead of using inotify (NFS, some container mounts).]:poll:'
        '--once[Convert what is there, then exit (for cron).]'
        '--no-initial[Do not convert the files already there when starting.]'
        '--follow-symlinks[Follow symlinks that lead out of the watched folder.]'
        '--on-success[After a file is converted\: move\:DIR moves it into DIR.]:action:'
        '--on-failure[After a file fails\: move\:DIR moves it into DIR (quarantine).]:action:'
        '--journal[The journal file (default\: one per folder and output under ~/.local/state/imgproc).]:journal:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_imgproc_lambda() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_imgproc_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _imgproc ]]; then
    _imgproc "${@}"
else
    compdef _imgproc imgproc
fi
