import { useEffect } from 'react';
import { useSettings } from '../store';
import '../settings.css';
import { DevicesSection } from './devices-section';
import { ModelsSection } from './models-section';
import { PrivacySection } from './privacy-section';
import { SyncSection } from './sync-section';

/** The Settings screen: models, privacy, audio and video, and the (future) sync server. */
export function SettingsView() {
  useEffect(() => {
    const { subscribe, loadAll } = useSettings.getState();
    // Subscribe first so that no progress event between the load and the subscription is missed.
    const unsubscribe = subscribe();
    void loadAll();
    return unsubscribe;
  }, []);

  return (
    <div className="settings-view">
      <ModelsSection />
      <PrivacySection />
      <DevicesSection />
      <SyncSection />
    </div>
  );
}
