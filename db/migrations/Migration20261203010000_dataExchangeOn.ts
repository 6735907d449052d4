import { Migration } from '@mikro-orm/migrations';

/**
 * Enable Data Exchange now has its effect (nothing goes to or comes from the ODS while it is off).
 * It was stored but read by nothing, so every install has been exchanging with it "off": turn it
 * on, so nothing stops on upgrade, and make on the default for new installs.
 */
export class Migration20261203010000_dataExchangeOn extends Migration {
  override up(): void {
    this.addSql('alter table "basic_settings" alter column "enable_data_exchange" set default true;');
    this.addSql('update "basic_settings" set "enable_data_exchange" = true;');
  }

  override down(): void {
    this.addSql('alter table "basic_settings" alter column "enable_data_exchange" set default false;');
  }
}
