import type { ChannelSettings } from '../../shared-state/channel-settings.js';

/**
 * The channels where Cairn answers questions without a mention (Slack support channels, Discord
 * forums): those configured (SLACK_/DISCORD_AUTO_ANSWER_CHANNELS), as an admin last switched them
 * with `/cairn-channel auto on|off`. A switch outlives a restart; a configured channel is on until
 * switched off.
 */
export class AutoAnswerChannels {
  constructor(
    private readonly platform: 'slack' | 'discord',
    private readonly configured: readonly string[],
    private readonly settings: ChannelSettings,
    /** The store failing, the configured list decides; the caller logs why. */
    private readonly onError: (err: unknown) => void,
  ) {}

  async isOn(channel: string): Promise<boolean> {
    try {
      return (await this.settings.autoAnswer(this.key(channel))) ?? this.configured.includes(channel);
    } catch (err) {
      this.onError(err);
      return this.configured.includes(channel);
    }
  }

  /** Rejects when the store does: the admin must learn the switch did not take. */
  set(channel: string, on: boolean, by: string): Promise<void> {
    return this.settings.setAutoAnswer(this.key(channel), on, by);
  }

  private key(channel: string): string {
    return `${this.platform}:${channel}`;
  }
}

/** What `/cairn-channel` says back, on every platform. */
export function autoAnswerStateText(on: boolean, where: string, bold: (s: string) => string): string {
  return on
    ? `Auto-answer is now ${bold('on')} in ${where}: I answer every new question posted there without a mention, and step back once someone else replies.`
    : `Auto-answer is now ${bold('off')} in ${where}: I answer there only when mentioned.`;
}

export const CHANNEL_COMMAND_USAGE = 'Use `/cairn-channel auto on` or `/cairn-channel auto off` in the channel to change.';

/** `auto on` / `auto off` → the switch; anything else → undefined. */
export function parseAutoSwitch(text: string): boolean | undefined {
  const m = /^auto\s+(on|off)$/i.exec(text.trim());
  return m ? m[1]!.toLowerCase() === 'on' : undefined;
}
