// Line icons for calls, drawn on a 24-unit grid like the app's others.
type IconProps = { size?: number; className?: string };

const svg = (size: number, className: string | undefined, children: React.ReactNode, fill = false) => (
  <svg width={size} height={size} viewBox="0 0 24 24" fill={fill ? "currentColor" : "none"} stroke={fill ? "none" : "currentColor"} strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden className={className}>
    {children}
  </svg>
);

export const PhoneIcon = ({ size = 20, className }: IconProps) =>
  svg(size, className, <path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z" />);

export const HangUpIcon = ({ size = 24, className }: IconProps) =>
  svg(size, className, <path d="M3.7 14.6 2.3 13.2a1.4 1.4 0 0 1 0-2A13.7 13.7 0 0 1 12 7.5c3.6 0 7 1.3 9.7 3.7a1.4 1.4 0 0 1 0 2l-1.4 1.4a1.4 1.4 0 0 1-1.8.1l-2-1.5a1.4 1.4 0 0 1-.6-1.2V10a11 11 0 0 0-7.8 0v2a1.4 1.4 0 0 1-.6 1.2l-2 1.5a1.4 1.4 0 0 1-1.8-.1z" />, true);

export const VideoIcon = ({ size = 20, className }: IconProps) =>
  svg(size, className, <><rect x="2" y="6" width="14" height="12" rx="2" /><path d="m16 10 6-3.5v11L16 14" /></>);

export const VideoOffIcon = ({ size = 20, className }: IconProps) =>
  svg(size, className, <><path d="M10.7 6H14a2 2 0 0 1 2 2v3.3l1 1 5-3.8v9" /><path d="M16 16a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h2" /><path d="m2 2 20 20" /></>);

export const MicIcon = ({ size = 20, className }: IconProps) =>
  svg(size, className, <><rect x="9" y="2" width="6" height="12" rx="3" /><path d="M5 10v1a7 7 0 0 0 14 0v-1M12 18v4" /></>);

export const MicOffIcon = ({ size = 20, className }: IconProps) =>
  svg(size, className, <><path d="M15 9.3V5a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 5.1 2.1" /><path d="M19 10v1a7 7 0 0 1-1.1 3.8M5 10v1a7 7 0 0 0 11.5 5.4M12 18v4M2 2l20 20" /></>);

export const ChevronIcon = ({ size = 14, className }: IconProps) => svg(size, className, <path d="m6 15 6-6 6 6" />);

export const ArrowIcon = ({ size = 14, className, incoming }: IconProps & { incoming: boolean }) =>
  svg(size, className, incoming ? <path d="M17 7 7 17M7 9v8h8" /> : <path d="M7 17 17 7M9 7h8v8" />);
