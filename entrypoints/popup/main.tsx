import { createRoot } from 'react-dom/client';
import '../../components/app/page.css';
import { Popup } from '../../components/popup/Popup';

createRoot(document.getElementById('root')!).render(<Popup />);
