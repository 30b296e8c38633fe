function __imgproc_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __imgproc_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __imgproc_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __imgproc_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __imgproc_parse_tokens -S
    set -l unparsed_tokens (__imgproc_tokens -pc)
    switch $unparsed_tokens[1]
    case 'imgproc'
        __imgproc_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'convert'
            __imgproc_parse_subcommand -r 1 'files-from=' '0' 'o/output=' 'recipe=' 'variant=+' 'max-size=' 'max-pixels=' 'max-input-bytes=' 'fail-on=' 'no-rotate' 'keep=' 'output-profile=' 'background=' 'kernel=' 'reducing-gap=' 'progressive' 'subsampling=' 'endpoint-url=' 'region=' 'profile=' 'path-style' 'max-attempts=' 'concurrency=' 'multipart-threshold=' 'sse=' 'sniff-content' 'name=' 'jobs=' 'json' 'q/quiet' 'v/verbose' 'log-level=' 'log-format=' 'overwrite' 'follow-symlinks' 'delete' 'report=' 'version' 'h/help'
        case 'info'
            __imgproc_parse_subcommand -r 1 'json' 'version' 'h/help'
        case 's3-sync'
            __imgproc_parse_subcommand 2 'recipe=' 'variant=+' 'max-size=' 'max-pixels=' 'max-input-bytes=' 'fail-on=' 'no-rotate' 'keep=' 'output-profile=' 'background=' 'kernel=' 'reducing-gap=' 'progressive' 'subsampling=' 'endpoint-url=' 'region=' 'profile=' 'path-style' 'max-attempts=' 'concurrency=' 'multipart-threshold=' 'sse=' 'sniff-content' 'name=' 'jobs=' 'json' 'q/quiet' 'v/verbose' 'log-level=' 'log-format=' 'dry-run' 'version' 'h/help'
        case 'watch'
            __imgproc_parse_subcommand 1 'o/output=' 'recipe=' 'variant=+' 'max-size=' 'max-pixels=' 'max-input-bytes=' 'fail-on=' 'no-rotate' 'keep=' 'output-profile=' 'background=' 'kernel=' 'reducing-gap=' 'progressive' 'subsampling=' 'endpoint-url=' 'region=' 'profile=' 'path-style' 'max-attempts=' 'concurrency=' 'multipart-threshold=' 'sse=' 'sniff-content' 'name=' 'jobs=' 'json' 'q/quiet' 'v/verbose' 'log-level=' 'log-format=' 'settle=' 'poll=' 'once' 'no-initial' 'follow-symlinks' 'delete' 'on-success=' 'on-failure=' 'journal=' 'version' 'h/help'
        case 'lambda'
            __imgproc_parse_subcommand 0 'version' 'h/help'
        case 'help'
            __imgproc_parse_subcommand -r 1 'version'
        end
    end
end

function __imgproc_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __imgproc_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __imgproc_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __imgproc_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__imgproc_tokens -p)
    if test -z "$(__imgproc_tokens -t)"
        set -l index (count (__imgproc_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'imgproc' -f
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc" version' -l 'version' -d 'Show the version.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_positional "imgproc" -eq 1' -fa 'convert' -d 'Make the variants of a recipe from image files, folders or standard input.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_positional "imgproc" -eq 1' -fa 'info' -d 'Describe images from their headers: format, size, depth, colour, metadata.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_positional "imgproc" -eq 1' -fa 's3-sync' -d 'Convert what is new or changed under an S3 prefix into another prefix.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_positional "imgproc" -eq 1' -fa 'watch' -d 'Convert every image that lands in a folder, once, never half-written.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_positional "imgproc" -eq 1' -fa 'lambda' -d 'Run as an AWS Lambda function (the provided.al2023 bootstrap).'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_positional "imgproc" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" files-from' -l 'files-from' -d 'Also convert the inputs listed in FILE, one per line (- reads the list from standard input).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" 0' -s '0' -d '--files-from\'s entries end with NUL, not newline (find -print0, xargs -0).'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" o output' -s 'o' -l 'output' -d 'Output folder (created if missing), s3://bucket/prefix/, or - for standard output (one input, one variant).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" recipe' -l 'recipe' -d 'A recipe JSON file (default: the built-in five variants, as Resources/recipes/default.json).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert"' -l 'variant' -d 'A variant NAME:FORMAT[:WxH][:fit=F][:kernel=K][:enlarge][:OPTION=VALUE]…; FORMAT: jpeg, png, webp, avif. The options each format takes (default): jpeg: q=1...100 (80), progressive (--progressive), subsampling=auto|420|422|444 (--subsampling); png: level=0...12 (chosen per image by its cost); webp: q=1...100 (80), effort=0...6 (4), lossless (no); avif: q=1...100 (50), effort=0...9 (4), lossless (no). A yes/no option alone is yes, or takes =yes|no. Repeatable; replaces the default recipe, or adds to --recipe.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" max-size' -l 'max-size' -d 'No output larger than N px on a side: variants without a size are the image fitted into NxN; sized variants are made from the whole image, their size bounded by N. 0 disables. (default: the recipe\'s, 4096)' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" max-pixels' -l 'max-pixels' -d 'Refuse images with more pixels than this (checked from the header, before decoding).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" max-input-bytes' -l 'max-input-bytes' -d 'Refuse sources larger than this, checked while reading: bytes, or with KiB, MiB, GiB (KB, MB, GB: powers of 1000). (default: 512MiB)' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" fail-on' -l 'fail-on' -d 'Which damage fails a file, in every format: warning (damage that loses pixels: image data cut short or corrupt) or error (only errors: such images decode as far as they can, with a warning). Damaged metadata (a bad ICC profile, dropped; an out-of-range PNG tRNS; bad EXIF) and data after the complete image are warnings either way.' -rfka 'warning error'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" no-rotate' -l 'no-rotate' -d 'Keep pixels as stored; by default the EXIF orientation is applied.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" keep' -l 'keep' -d 'Metadata carried into outputs: none, exif, icc or all. Without icc, pixels with an embedded profile (RGB, gray, CMYK) are converted to sRGB and the profile is left out; with icc (or all) the profile is kept and the pixels left as stored.' -rfka 'icc exif all none'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" output-profile' -l 'output-profile' -d 'The profile outputs carry when --keep does not keep the source\'s: none (untagged sRGB) or srgb-compact (a 568-byte sRGB profile).' -rfka 'none srgb-compact'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" background' -l 'background' -d 'Colour behind transparent pixels in JPEG outputs, and padding for fit=contain: white, black, #rrggbb or r,g,b.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" kernel' -l 'kernel' -d 'Resampling kernel for variants that name none, and for the --max-size cap.' -rfka 'nearest linear cubic mitchell lanczos2 lanczos3'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" reducing-gap' -l 'reducing-gap' -d 'Shrinks by more than 2xN start with an integer box reduction, leaving at least N for the kernel (as Pillow\'s reducing_gap); 0 resamples exactly.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" progressive' -l 'progressive' -d 'Write progressive JPEGs (variants may override).'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" subsampling' -l 'subsampling' -d 'JPEG chroma subsampling: auto (4:2:0 below quality 90, 4:4:4 from 90), 420, 422 or 444.' -rfka 'auto 420 422 444'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" endpoint-url' -l 'endpoint-url' -d 'An S3-compatible endpoint, e.g. http://127.0.0.1:8085 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" region' -l 'region' -d 'The region to sign for (default: AWS_REGION, AWS_DEFAULT_REGION, the profile\'s, else us-east-1).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" profile' -l 'profile' -d 'The profile in ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE, else default).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" path-style' -l 'path-style' -d 'Path-style addressing (host/bucket/key); automatic for IP and localhost endpoints.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" max-attempts' -l 'max-attempts' -d 'Attempts per request, retrying 5xx, throttling and connection errors with backoff.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" concurrency' -l 'concurrency' -d 'S3 requests in flight at once (independent of --jobs).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" multipart-threshold' -l 'multipart-threshold' -d 'Upload objects larger than this many MiB in parts.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" sse' -l 'sse' -d 'Server-side encryption for uploads: AES256 or aws:kms.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" sniff-content' -l 'sniff-content' -d 'In S3 listings, read the first bytes of keys without an image extension (.jpg, .png, .webp, .heic, .avif...; a ranged GET each, every run) to find images among them. By default such keys are skipped by name.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" name' -l 'name' -d 'Output file name template: {base} {variant} {hash} {ext} {recipe}.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" jobs' -l 'jobs' -d 'Images processed at once; also the thread budget. (default: the number of cores)' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" json' -l 'json' -d 'Print one JSON object per event (output, up-to-date, planned, progress, warning, error, ignored, excluded, other-version, orphan, watching, summary).'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" q quiet' -l 'quiet' -s 'q' -d 'Print only errors.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" v verbose' -l 'verbose' -s 'v' -d 'Print a line per output file.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" log-level' -l 'log-level' -d 'The least severe log records shown on standard error: trace, debug, info (-v), notice (the default), warning (or warn), error (-q), critical. (default: $LOG_LEVEL, else notice)' -rfka 'trace debug info notice warning error critical'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" log-format' -l 'log-format' -d 'text: lines for people; json: one object per record (time, level, message, source, variant, path, bytes, ms), for log search.' -rfka 'text json'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" overwrite' -l 'overwrite' -d 'Re-create outputs that exist already.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" follow-symlinks' -l 'follow-symlinks' -d 'Read files through symlinks that lead out of an input folder.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" delete' -l 'delete' -d 'Delete the outputs of other settings or versions of each source converted, which are otherwise named and left in place (with -o DIR).'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" report' -l 'report' -d 'Also write an HTML page showing each source beside its variants: dimensions, bytes, ratio, SSIM of lossy ones (local inputs and -o folder only).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" version' -l 'version' -d 'Show the version.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc convert" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc info" json' -l 'json' -d 'One JSON object per file and line on standard output.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc info" version' -l 'version' -d 'Show the version.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc info" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" recipe' -l 'recipe' -d 'A recipe JSON file (default: the built-in five variants, as Resources/recipes/default.json).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync"' -l 'variant' -d 'A variant NAME:FORMAT[:WxH][:fit=F][:kernel=K][:enlarge][:OPTION=VALUE]…; FORMAT: jpeg, png, webp, avif. The options each format takes (default): jpeg: q=1...100 (80), progressive (--progressive), subsampling=auto|420|422|444 (--subsampling); png: level=0...12 (chosen per image by its cost); webp: q=1...100 (80), effort=0...6 (4), lossless (no); avif: q=1...100 (50), effort=0...9 (4), lossless (no). A yes/no option alone is yes, or takes =yes|no. Repeatable; replaces the default recipe, or adds to --recipe.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" max-size' -l 'max-size' -d 'No output larger than N px on a side: variants without a size are the image fitted into NxN; sized variants are made from the whole image, their size bounded by N. 0 disables. (default: the recipe\'s, 4096)' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" max-pixels' -l 'max-pixels' -d 'Refuse images with more pixels than this (checked from the header, before decoding).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" max-input-bytes' -l 'max-input-bytes' -d 'Refuse sources larger than this, checked while reading: bytes, or with KiB, MiB, GiB (KB, MB, GB: powers of 1000). (default: 512MiB)' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" fail-on' -l 'fail-on' -d 'Which damage fails a file, in every format: warning (damage that loses pixels: image data cut short or corrupt) or error (only errors: such images decode as far as they can, with a warning). Damaged metadata (a bad ICC profile, dropped; an out-of-range PNG tRNS; bad EXIF) and data after the complete image are warnings either way.' -rfka 'warning error'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" no-rotate' -l 'no-rotate' -d 'Keep pixels as stored; by default the EXIF orientation is applied.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" keep' -l 'keep' -d 'Metadata carried into outputs: none, exif, icc or all. Without icc, pixels with an embedded profile (RGB, gray, CMYK) are converted to sRGB and the profile is left out; with icc (or all) the profile is kept and the pixels left as stored.' -rfka 'icc exif all none'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" output-profile' -l 'output-profile' -d 'The profile outputs carry when --keep does not keep the source\'s: none (untagged sRGB) or srgb-compact (a 568-byte sRGB profile).' -rfka 'none srgb-compact'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" background' -l 'background' -d 'Colour behind transparent pixels in JPEG outputs, and padding for fit=contain: white, black, #rrggbb or r,g,b.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" kernel' -l 'kernel' -d 'Resampling kernel for variants that name none, and for the --max-size cap.' -rfka 'nearest linear cubic mitchell lanczos2 lanczos3'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" reducing-gap' -l 'reducing-gap' -d 'Shrinks by more than 2xN start with an integer box reduction, leaving at least N for the kernel (as Pillow\'s reducing_gap); 0 resamples exactly.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" progressive' -l 'progressive' -d 'Write progressive JPEGs (variants may override).'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" subsampling' -l 'subsampling' -d 'JPEG chroma subsampling: auto (4:2:0 below quality 90, 4:4:4 from 90), 420, 422 or 444.' -rfka 'auto 420 422 444'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" endpoint-url' -l 'endpoint-url' -d 'An S3-compatible endpoint, e.g. http://127.0.0.1:8085 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" region' -l 'region' -d 'The region to sign for (default: AWS_REGION, AWS_DEFAULT_REGION, the profile\'s, else us-east-1).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" profile' -l 'profile' -d 'The profile in ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE, else default).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" path-style' -l 'path-style' -d 'Path-style addressing (host/bucket/key); automatic for IP and localhost endpoints.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" max-attempts' -l 'max-attempts' -d 'Attempts per request, retrying 5xx, throttling and connection errors with backoff.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" concurrency' -l 'concurrency' -d 'S3 requests in flight at once (independent of --jobs).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" multipart-threshold' -l 'multipart-threshold' -d 'Upload objects larger than this many MiB in parts.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" sse' -l 'sse' -d 'Server-side encryption for uploads: AES256 or aws:kms.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" sniff-content' -l 'sniff-content' -d 'In S3 listings, read the first bytes of keys without an image extension (.jpg, .png, .webp, .heic, .avif...; a ranged GET each, every run) to find images among them. By default such keys are skipped by name.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" name' -l 'name' -d 'Output file name template: {base} {variant} {hash} {ext} {recipe}.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" jobs' -l 'jobs' -d 'Images processed at once; also the thread budget. (default: the number of cores)' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" json' -l 'json' -d 'Print one JSON object per event (output, up-to-date, planned, progress, warning, error, ignored, excluded, other-version, orphan, watching, summary).'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" q quiet' -l 'quiet' -s 'q' -d 'Print only errors.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" v verbose' -l 'verbose' -s 'v' -d 'Print a line per output file.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" log-level' -l 'log-level' -d 'The least severe log records shown on standard error: trace, debug, info (-v), notice (the default), warning (or warn), error (-q), critical. (default: $LOG_LEVEL, else notice)' -rfka 'trace debug info notice warning error critical'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" log-format' -l 'log-format' -d 'text: lines for people; json: one object per record (time, level, message, source, variant, path, bytes, ms), for log search.' -rfka 'text json'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" dry-run' -l 'dry-run' -d 'List what would be converted, and why, without converting anything.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" version' -l 'version' -d 'Show the version.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc s3-sync" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" o output' -s 'o' -l 'output' -d 'Output folder (created if missing) or s3://bucket/prefix/.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" recipe' -l 'recipe' -d 'A recipe JSON file (default: the built-in five variants, as Resources/recipes/default.json).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch"' -l 'variant' -d 'A variant NAME:FORMAT[:WxH][:fit=F][:kernel=K][:enlarge][:OPTION=VALUE]…; FORMAT: jpeg, png, webp, avif. The options each format takes (default): jpeg: q=1...100 (80), progressive (--progressive), subsampling=auto|420|422|444 (--subsampling); png: level=0...12 (chosen per image by its cost); webp: q=1...100 (80), effort=0...6 (4), lossless (no); avif: q=1...100 (50), effort=0...9 (4), lossless (no). A yes/no option alone is yes, or takes =yes|no. Repeatable; replaces the default recipe, or adds to --recipe.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" max-size' -l 'max-size' -d 'No output larger than N px on a side: variants without a size are the image fitted into NxN; sized variants are made from the whole image, their size bounded by N. 0 disables. (default: the recipe\'s, 4096)' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" max-pixels' -l 'max-pixels' -d 'Refuse images with more pixels than this (checked from the header, before decoding).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" max-input-bytes' -l 'max-input-bytes' -d 'Refuse sources larger than this, checked while reading: bytes, or with KiB, MiB, GiB (KB, MB, GB: powers of 1000). (default: 512MiB)' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" fail-on' -l 'fail-on' -d 'Which damage fails a file, in every format: warning (damage that loses pixels: image data cut short or corrupt) or error (only errors: such images decode as far as they can, with a warning). Damaged metadata (a bad ICC profile, dropped; an out-of-range PNG tRNS; bad EXIF) and data after the complete image are warnings either way.' -rfka 'warning error'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" no-rotate' -l 'no-rotate' -d 'Keep pixels as stored; by default the EXIF orientation is applied.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" keep' -l 'keep' -d 'Metadata carried into outputs: none, exif, icc or all. Without icc, pixels with an embedded profile (RGB, gray, CMYK) are converted to sRGB and the profile is left out; with icc (or all) the profile is kept and the pixels left as stored.' -rfka 'icc exif all none'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" output-profile' -l 'output-profile' -d 'The profile outputs carry when --keep does not keep the source\'s: none (untagged sRGB) or srgb-compact (a 568-byte sRGB profile).' -rfka 'none srgb-compact'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" background' -l 'background' -d 'Colour behind transparent pixels in JPEG outputs, and padding for fit=contain: white, black, #rrggbb or r,g,b.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" kernel' -l 'kernel' -d 'Resampling kernel for variants that name none, and for the --max-size cap.' -rfka 'nearest linear cubic mitchell lanczos2 lanczos3'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" reducing-gap' -l 'reducing-gap' -d 'Shrinks by more than 2xN start with an integer box reduction, leaving at least N for the kernel (as Pillow\'s reducing_gap); 0 resamples exactly.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" progressive' -l 'progressive' -d 'Write progressive JPEGs (variants may override).'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" subsampling' -l 'subsampling' -d 'JPEG chroma subsampling: auto (4:2:0 below quality 90, 4:4:4 from 90), 420, 422 or 444.' -rfka 'auto 420 422 444'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" endpoint-url' -l 'endpoint-url' -d 'An S3-compatible endpoint, e.g. http://127.0.0.1:8085 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" region' -l 'region' -d 'The region to sign for (default: AWS_REGION, AWS_DEFAULT_REGION, the profile\'s, else us-east-1).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" profile' -l 'profile' -d 'The profile in ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE, else default).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" path-style' -l 'path-style' -d 'Path-style addressing (host/bucket/key); automatic for IP and localhost endpoints.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" max-attempts' -l 'max-attempts' -d 'Attempts per request, retrying 5xx, throttling and connection errors with backoff.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" concurrency' -l 'concurrency' -d 'S3 requests in flight at once (independent of --jobs).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" multipart-threshold' -l 'multipart-threshold' -d 'Upload objects larger than this many MiB in parts.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" sse' -l 'sse' -d 'Server-side encryption for uploads: AES256 or aws:kms.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" sniff-content' -l 'sniff-content' -d 'In S3 listings, read the first bytes of keys without an image extension (.jpg, .png, .webp, .heic, .avif...; a ranged GET each, every run) to find images among them. By default such keys are skipped by name.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" name' -l 'name' -d 'Output file name template: {base} {variant} {hash} {ext} {recipe}.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" jobs' -l 'jobs' -d 'Images processed at once; also the thread budget. (default: the number of cores)' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" json' -l 'json' -d 'Print one JSON object per event (output, up-to-date, planned, progress, warning, error, ignored, excluded, other-version, orphan, watching, summary).'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" q quiet' -l 'quiet' -s 'q' -d 'Print only errors.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" v verbose' -l 'verbose' -s 'v' -d 'Print a line per output file.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" log-level' -l 'log-level' -d 'The least severe log records shown on standard error: trace, debug, info (-v), notice (the default), warning (or warn), error (-q), critical. (default: $LOG_LEVEL, else notice)' -rfka 'trace debug info notice warning error critical'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" log-format' -l 'log-format' -d 'text: lines for people; json: one object per record (time, level, message, source, variant, path, bytes, ms), for log search.' -rfka 'text json'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" settle' -l 'settle' -d 'Milliseconds a file\'s size and time must stay still when its writer was not seen closing it.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" poll' -l 'poll' -d 'Scan every this many seconds instead of using inotify (NFS, some container mounts).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" once' -l 'once' -d 'Convert what is there, then exit (for cron).'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" no-initial' -l 'no-initial' -d 'Do not convert the files already there when starting.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" follow-symlinks' -l 'follow-symlinks' -d 'Follow symlinks that lead out of the watched folder.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" delete' -l 'delete' -d 'Delete the outputs of a source that is deleted or renamed away, which are otherwise named and left in place.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" on-success' -l 'on-success' -d 'After a file is converted: move:DIR moves it into DIR, keeping its sub-folder; a file of that name already there is kept and the moved one named NAME-1.EXT, NAME-2.EXT, ....' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" on-failure' -l 'on-failure' -d 'After a file fails: move:DIR moves it into DIR (quarantine), as --on-success does.' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" journal' -l 'journal' -d 'The journal file (default: one per folder and output under ~/.local/state/imgproc).' -rfka ''
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" version' -l 'version' -d 'Show the version.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc watch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc lambda" version' -l 'version' -d 'Show the version.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc lambda" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'imgproc' -n '__imgproc_should_offer_completions_for_flags_or_options "imgproc help" version' -l 'version' -d 'Show the version.'
