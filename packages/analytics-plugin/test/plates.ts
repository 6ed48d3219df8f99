import { FONT, lavfiPath } from './ffmpeg.js';

const font = lavfiPath(FONT);
const esc = (text: string): string => text.replace(/[\\':]/g, (c) => `\\${c}`).replace(/([,;[\]=])/g, '\\$1');

/** A lavfi graph of a 480×270 street-grey picture with a one-row car plate. */
export function carPlateGraph(text: string, x = 140, y = 110): string {
  return (
    `color=c=0x505860:s=480x270,drawbox=x=${x - 30}:y=${y - 40}:w=260:h=130:color=0x1e50a0:t=fill,` +
    `drawbox=x=${x}:y=${y}:w=200:h=48:color=white:t=fill,drawbox=x=${x}:y=${y}:w=200:h=48:color=black:t=3,` +
    `drawtext=fontfile=${font}:text=${esc(text)}:x=${x + 10}:y=${y + 10}:fontsize=30:fontcolor=black`
  );
}

/** A lavfi graph of a two-row motorbike plate. */
export function bikePlateGraph(top: string, bottom: string, x = 180, y = 90): string {
  return (
    `color=c=0x505860:s=480x270,drawbox=x=${x}:y=${y}:w=130:h=92:color=white:t=fill,drawbox=x=${x}:y=${y}:w=130:h=92:color=black:t=3,` +
    `drawtext=fontfile=${font}:text=${esc(top)}:x=${x + 20}:y=${y + 10}:fontsize=30:fontcolor=black,` +
    `drawtext=fontfile=${font}:text=${esc(bottom)}:x=${x + 10}:y=${y + 50}:fontsize=30:fontcolor=black`
  );
}

/** A lavfi graph of a shop sign (text that is not a plate). */
export function signGraph(text: string): string {
  return `color=c=0x505860:s=480x270,drawbox=x=60:y=100:w=360:h=60:color=0xffd700:t=fill,drawtext=fontfile=${font}:text=${esc(text)}:x=80:y=112:fontsize=32:fontcolor=black`;
}

/** A 640×360 street picture at 2 fps where a car with `text` plate enters after `enterS` seconds and drives right. */
export function passingCarGraph(text: string, enterS = 2, speed = 50): string {
  const moving = `${40}+(t-${enterS})*${speed}`;
  return (
    `color=c=0x505860:s=640x360:r=2,drawbox=x=0:y=0:w=640:h=80:color=0x5f7f3a:t=fill,drawbox=x=0:y=290:w=640:h=70:color=0x9a9a9a:t=fill,` +
    `drawtext=fontfile=${font}:text=${esc(text)}:fontsize=30:fontcolor=0x1e50a0:box=1:boxcolor=0x1e50a0:boxborderw=40:x=${esc(moving)}:y=180:enable=${esc(`gte(t,${enterS})`)},` +
    `drawtext=fontfile=${font}:text=${esc(text)}:fontsize=30:fontcolor=black:box=1:boxcolor=white:boxborderw=6:x=${esc(moving)}:y=180:enable=${esc(`gte(t,${enterS})`)}`
  );
}
