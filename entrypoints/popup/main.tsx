import { createRoot } from 'react-dom/client';
import '../../components/app/page.css';
import { Popup, preloadPopup } from '../../components/popup/Popup';

const preload = preloadPopup();
createRoot(document.getElementById('root')!).render(<Popup preload={preload} />);
