/**
 * ffmpeg input options that limit which protocols an input may open (`-protocol_whitelist`, the same on ffmpeg
 * 4.x and 5.x). Every ffmpeg input the recorder starts carries one of these, so a stream URI or a playlist can never
 * make ffmpeg read a local file, a pipe or another protocol it does not need: camera streams may use RTSP and what
 * RTSP runs on (RTP/SRTP over UDP or TCP, TLS for `rtsps:`), local files only `file`.
 */
export const STREAM_INPUT_WHITELIST = ['-protocol_whitelist', 'rtsp,rtsps,rtp,srtp,udp,tcp,tls'] as const;

/** Input options of ffmpeg/ffprobe reading the recorder's own files (segments, concat lists): `file` only. */
export const FILE_INPUT_WHITELIST = ['-protocol_whitelist', 'file'] as const;
