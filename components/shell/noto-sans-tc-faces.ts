import './noto-sans-tc.css';
